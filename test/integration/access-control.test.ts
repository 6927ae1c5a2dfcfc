import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import type { PatientCandidate } from '../../src/shared/domain/patient.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import type { SecuredApi } from '../../src/main/services/access/secured-api.ts';
import type { AccessAuditEvent } from '../../src/main/services/access/audit-port.ts';
import { dispatchApiCall } from '../../src/main/services/api/index.ts';
import { securedDemoHospital } from '../support/secured-demo-hospital.ts';

/**
 * Each role sees exactly what it should, enforced in main against the real demo hospital
 * (FHIR, MLLP, SOAP and Orthanc over loopback): the ward doctor attends 张伟, the nurse works on
 * his ward, the radiologist reads his CT, the administrator sees no patient at all.
 */
const demo = securedDemoHospital();

async function demoCandidate(api: SecuredApi): Promise<PatientCandidate> {
  const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
  const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId));
  expect(zhang).toBeDefined();
  return zhang!;
}

describe('access control per role, in main, against the demo hospital', () => {
  it('signed out, nothing but the session answers; a wrong password is refused and audited', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    for (const [method, payload] of [
      ['searchPatients', { query: '张伟' }],
      ['openPatient', { refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }] }],
      ['listSources', {}],
      ['viewerSettings', {}],
      ['breakGlass', { refs: [{ sourceId: 'cdr', sourcePatientId: 'x' }], reason: 'a long enough reason' }],
    ] as const) {
      expect(await dispatchApiCall(api.handlers, method, payload)).toMatchObject({ ok: false, status: 401, error: { code: 'signed-out' } });
    }
    expect((await api.handlers.getSession({})).session).toMatchObject({ state: 'signed-out', methods: { local: true, oidc: false } });
    const wrong = await dispatchApiCall(api.handlers, 'signInLocal', { username: 'doctor', password: 'not-the-password' });
    expect(wrong).toMatchObject({ ok: false, status: 401 });
    expect(audit.at(-1)).toMatchObject({ action: 'login-failed', outcome: 'failure', attemptedUser: 'doctor' });
    api.close();
  });

  it('the ward doctor attending 张伟 reads everything, identifiers in full; each step is audited', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    const { session } = await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    expect(session).toMatchObject({
      state: 'active',
      user: { displayName: '李医生', roles: ['ward-doctor'] },
      rolesMaskIdentifiers: false,
    });
    const zhang = await demoCandidate(api);
    expect(zhang.identifiers.map((i) => i.value)).toContain(DEMO_PATIENT.residentId);
    const opened = await api.handlers.openPatient({ refs: zhang.refs });
    expect(opened.access).toMatchObject({ basis: 'treating', withheldTypes: [], masked: false });
    const kinds = new Set(opened.entries.map((e) => e.kind));
    for (const kind of ['encounter', 'observation', 'document', 'imaging']) expect(kinds).toContain(kind);
    expect(audit.map((e) => e.action)).toEqual(['login', 'patient-search', 'patient-open']);
    expect(audit[2]).toMatchObject({ user: { id: 'local:doctor' }, patient: { refs: zhang.refs }, entity: { detail: 'basis=treating' } });
    const doc = opened.entries.find((e) => e.kind === 'document')!;
    await api.handlers.recordView({ viewId: opened.viewId, entryId: doc.id });
    expect(audit.at(-1)).toMatchObject({ action: 'document-view', entity: { type: doc.resource.resourceType } });
    // Results come with a summary of their resource; the whole one is asked for by entry id.
    const result = opened.entries.find((e) => e.kind === 'observation' && e.lab)!;
    expect(result).toMatchObject({ resourceSummary: true, resource: { resourceType: 'Observation' } });
    expect(result.resource).not.toHaveProperty('valueQuantity');
    const { resources } = await api.handlers.entryResources({ viewId: opened.viewId, entryIds: [result.id, doc.id] });
    expect(resources[0]).toMatchObject({ resourceType: 'Observation', id: result.resource.id, valueQuantity: expect.any(Object) });
    expect(resources[1]).toEqual(doc.resource);
    expect(
      await dispatchApiCall(api.handlers, 'entryResources', { viewId: opened.viewId, entryIds: ['cdr:Observation/not-there'] }),
    ).toMatchObject({ ok: false, status: 400 });
    await api.handlers.closePatient({ viewId: opened.viewId });
    expect(await dispatchApiCall(api.handlers, 'entryResources', { viewId: opened.viewId, entryIds: [result.id] })).toMatchObject({
      ok: false,
      status: 400,
    });
    api.close();
  });

  it('the nurse on his ward reads him without notes or images; name and MRN whole (查对), the 身份证 masked', async () => {
    const api = demo.securedApi([]);
    await api.handlers.signInLocal({ username: 'nurse', password: DEMO_PASSWORD });
    const zhang = await demoCandidate(api);
    const values = zhang.identifiers.map((i) => i.value);
    expect(values).not.toContain(DEMO_PATIENT.residentId);
    expect(values).toContain('110101********0132');
    expect(values).toContain(DEMO_PATIENT.mrn);
    expect(zhang.displayName).toBe('张伟');
    const opened = await api.handlers.openPatient({ refs: zhang.refs });
    expect(opened.access).toMatchObject({ basis: 'ward', masked: true, maskLevel: 'national-id' });
    expect(opened.candidate).toMatchObject({
      displayName: '张伟',
      identifiers: expect.arrayContaining([expect.objectContaining({ value: DEMO_PATIENT.mrn })]),
    });
    expect(opened.access.withheldTypes).toEqual(expect.arrayContaining(['ImagingStudy']));
    const types = new Set(opened.entries.map((e) => e.resource.resourceType));
    for (const type of ['ImagingStudy', 'DocumentReference', 'Composition']) expect(types).not.toContain(type);
    expect(types).toContain('Observation');
    expect(JSON.stringify(opened.entries)).not.toContain(DEMO_PATIENT.residentId);
    // A result's whole resource comes masked as the timeline was, and none the role may not read.
    const { resources } = await api.handlers.entryResources({ viewId: opened.viewId, entryIds: opened.entries.map((e) => e.id) });
    expect(resources).toHaveLength(opened.entries.length);
    expect(JSON.stringify(resources)).not.toContain(DEMO_PATIENT.residentId);
    expect(resources.some((r) => r.resourceType === 'Observation' && 'valueQuantity' in r)).toBe(true);
    // Links are a doctor's decision.
    const link = await dispatchApiCall(api.handlers, 'confirmLink', { a: zhang.refs[0], b: zhang.refs[1] });
    expect(link).toMatchObject({ ok: false, status: 403, error: { code: 'access-denied' } });
    api.close();
  });

  it('the radiologist reads him because of his imaging, and only his studies are served to the viewer', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    await api.handlers.signInLocal({ username: 'radiologist', password: DEMO_PASSWORD });
    // The viewer's configured layouts (the demo configures none: the defaults, CT beside its prior).
    expect((await api.handlers.viewerSettings({})).defaultLayouts['CT']).toEqual({ layout: '1x2', priors: 1 });
    const zhang = await demoCandidate(api);
    const opened = await api.handlers.openPatient({ refs: zhang.refs });
    expect(opened.access.basis).toBe('imaging');
    expect(new Set(opened.entries.map((e) => e.resource.resourceType))).not.toContain('MedicationRequest');
    const study = opened.entries.find((e) => e.kind === 'imaging')!;
    const studyUid = study.resource.id!;
    const viewer = demo.seriesViewer(api);
    const metadata = await viewer.series(studyUid);
    expect(metadata.status).toBe(200);
    const body = await metadata.text();
    // Radiologists identify by name + MRN: the PACS PatientID (its MRN) and the name stay, the 身份证 is masked.
    expect(body).toContain('P10000001');
    expect(body).toContain('张');
    expect(body).not.toContain(DEMO_PATIENT.residentId);
    expect(audit.filter((e) => e.action === 'image-view')).toHaveLength(1);
    const elsewhere = await viewer.series('1.2.3.4');
    expect(elsewhere.status).toBe(403);
    api.close();
  });

  it('the administrator sees no patient data', async () => {
    const api = demo.securedApi([]);
    await api.handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
    expect((await api.handlers.listSources({})).sources.length).toBeGreaterThan(0);
    expect(await dispatchApiCall(api.handlers, 'searchPatients', { query: '张伟' })).toMatchObject({
      ok: false,
      status: 403,
      error: { code: 'access-denied' },
    });
    expect(
      await dispatchApiCall(api.handlers, 'openPatient', { refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }] }),
    ).toMatchObject({ ok: false, status: 403 });
    api.close();
  });

  it('the administrator checks the sources now (the probes of huizhen sources check), audited; no other role may', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    await api.handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
    const { probes, checkedAt } = await api.handlers.checkSources({});
    expect(Number.isNaN(Date.parse(checkedAt))).toBe(false);
    expect(probes.map((p) => p.sourceId).sort()).toEqual(demo.config.sources.map((s) => s.id).sort());
    for (const probe of probes) expect(probe, probe.sourceId).toMatchObject({ ok: true, reachable: true });
    expect(audit.at(-1)).toMatchObject({ action: 'sources-check', outcome: 'success', user: { roles: ['administrator'] } });
    expect((await api.handlers.getSession({})).session.capabilities).toEqual(['sources', 'check-sources', 'admin-console']);
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    expect(await dispatchApiCall(api.handlers, 'checkSources', {})).toMatchObject({
      ok: false,
      status: 403,
      error: { code: 'access-denied' },
    });
    api.close();
  });

  it('a patient outside the rules is refused and streams nothing; break-the-glass opens it, flagged and audited', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    const events: ApiEvent[] = [];
    api.subscribe((e) => events.push(e));
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const other = demo.hospital.data.patients[3]!;
    const refs = [{ sourceId: 'cdr', sourcePatientId: other.id }];
    const denied = await dispatchApiCall(api.handlers, 'openPatient', { refs });
    expect(denied).toMatchObject({
      ok: false,
      status: 403,
      error: { code: 'access-denied', message: expect.stringMatching(/break the glass/) },
    });
    expect(events.filter((e) => e.type === 'timeline.updated')).toHaveLength(0);
    expect(audit.at(-1)).toMatchObject({ action: 'access-denied', outcome: 'denied', patient: { refs } });

    expect(await dispatchApiCall(api.handlers, 'breakGlass', { refs, reason: '急' })).toMatchObject({ ok: false, status: 400 });
    const reason = '急诊会诊，患者意识不清需查既往史';
    const { until } = await api.handlers.breakGlass({ refs, reason });
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(25 * 60_000);
    expect(audit.at(-1)).toMatchObject({ action: 'break-glass', reason, patient: { refs } });
    const opened = await api.handlers.openPatient({ refs });
    expect(opened.access).toMatchObject({ basis: 'break-glass', reason, until });
    expect(opened.entries.length).toBeGreaterThan(0);
    expect(audit.at(-1)).toMatchObject({ action: 'patient-open', reason });
    await api.handlers.signOut({});
    // Grants end with the session.
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    expect(await dispatchApiCall(api.handlers, 'openPatient', { refs })).toMatchObject({ ok: false, status: 403 });
    api.close();
  });

  it('privacy mode masks names, 身份证 and narrative for everyone, including the attending doctor', async () => {
    const api = demo.securedApi([]);
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    await api.handlers.setPrivacyMode({ enabled: true });
    const zhang = await demoCandidate(api);
    expect(zhang.displayName).toBe('张*');
    const opened = await api.handlers.openPatient({ refs: zhang.refs });
    expect(opened.access.masked).toBe(true);
    const text = JSON.stringify(opened.entries);
    // Documents carry their CDA and HTML as base64 attachments: decoded, they must be masked too.
    const attachments = opened.entries.flatMap((e) =>
      e.resource.resourceType === 'DocumentReference'
        ? ((e.resource as { content?: { attachment: { data?: string } }[] }).content ?? [])
        : [],
    );
    expect(attachments.length).toBeGreaterThan(0);
    const decoded = attachments.map((c) => Buffer.from(c.attachment.data ?? '', 'base64').toString('utf8')).join('\n');
    for (const secret of ['张伟', DEMO_PATIENT.residentId, 'Zhang Wei']) {
      expect(text.includes(secret), `"${secret}" in the masked entries`).toBe(false);
      expect(decoded.includes(secret), `"${secret}" in a masked document`).toBe(false);
    }
    api.close();
  });

  it('privacy mode switched with 张伟 open re-sends him masked in place; nothing unmasked reaches the screen after; off, whole again', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    const events: ApiEvent[] = [];
    api.subscribe((e) => events.push(e));
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const zhang = await demoCandidate(api);
    const opened = await api.handlers.openPatient({ refs: zhang.refs });
    expect(opened.candidate?.displayName).toBe('张伟');
    expect(JSON.stringify(opened.entries)).toContain('张伟');

    const since = events.length;
    await api.handlers.setPrivacyMode({ enabled: true });
    expect(audit.at(-1)).toMatchObject({ action: 'config-change', entity: { type: 'privacy-mode', detail: 'on' } });
    const remask = events.slice(since).find((e) => e.type === 'patient.remasked');
    if (remask?.type !== 'patient.remasked') throw new Error('no patient.remasked event after the switch');
    expect(remask.viewId).toBe(opened.viewId);
    expect(remask.candidate?.displayName).toBe('张*');
    expect(remask.access).toMatchObject({ masked: true, maskLevel: 'full', basis: opened.access.basis });
    expect(remask.entries.map((e) => e.id).sort()).toEqual(opened.entries.map((e) => e.id).sort());
    // Whatever the open patient's screen asks for after the switch.
    const { resources } = await api.handlers.entryResources({ viewId: opened.viewId, entryIds: opened.entries.map((e) => e.id) });
    const searchAgain = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
    const after = JSON.stringify([events.slice(since).filter((e) => e.type !== 'session.changed'), resources, searchAgain]);
    for (const secret of ['张伟', DEMO_PATIENT.residentId, 'Zhang Wei', DEMO_PATIENT.mrn])
      expect(after.includes(secret), `"${secret}" after the switch`).toBe(false);

    const beforeOff = events.length;
    await api.handlers.setPrivacyMode({ enabled: false });
    const unmask = events.slice(beforeOff).find((e) => e.type === 'patient.remasked');
    if (unmask?.type !== 'patient.remasked') throw new Error('no patient.remasked event after switching off');
    expect(unmask.candidate?.displayName).toBe('张伟');
    expect(unmask.access.maskLevel).toBe('none');
    expect(JSON.stringify(unmask.entries)).toContain('张伟');
    await api.handlers.closePatient({ viewId: opened.viewId });

    // Mid-open: the switch lands while the systems are still answering; the snapshots after it and the reply are masked.
    const viewId = randomUUID();
    const firstSnapshot = new Promise<void>((resolve) => {
      const off = api.subscribe((e) => {
        if (e.type === 'timeline.updated' && e.viewId === viewId) {
          off();
          resolve();
        }
      });
    });
    const pending = api.handlers.openPatient({ refs: zhang.refs, viewId });
    await Promise.race([firstSnapshot, pending]);
    const mark = events.length;
    await api.handlers.setPrivacyMode({ enabled: true });
    const reply = await pending;
    expect(reply.candidate?.displayName).toBe('张*');
    expect(reply.access.maskLevel).toBe('full');
    const later = JSON.stringify([events.slice(mark).filter((e) => e.type !== 'session.changed'), reply]);
    for (const secret of ['张伟', DEMO_PATIENT.residentId, 'Zhang Wei', DEMO_PATIENT.mrn])
      expect(later.includes(secret), `"${secret}" after a switch mid-open`).toBe(false);
    await api.handlers.closePatient({ viewId });
    api.close();
  });

  it('locks after the idle time; only the password unlocks; the lock is audited', async () => {
    let now = Date.now();
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit, () => now);
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    now += 11 * 60_000;
    api.session.checkIdle();
    expect((await api.handlers.getSession({})).session).toMatchObject({ state: 'locked', notice: 'idle-locked' });
    expect(await dispatchApiCall(api.handlers, 'searchPatients', { query: '张伟' })).toMatchObject({
      ok: false,
      status: 401,
      error: { code: 'locked' },
    });
    expect(audit.at(-1)).toMatchObject({ action: 'session-locked', entity: { detail: 'idle' } });
    expect(await dispatchApiCall(api.handlers, 'unlockLocal', { password: 'wrong-password' })).toMatchObject({ ok: false, status: 401 });
    expect((await api.handlers.unlockLocal({ password: DEMO_PASSWORD })).session.state).toBe('active');
    now += 13 * 3_600_000;
    expect((await api.handlers.getSession({})).session).toMatchObject({ state: 'signed-out', notice: 'expired' });
    api.close();
  });
});
