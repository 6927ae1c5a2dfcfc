import type { ImagingStudy } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { studyInstanceUidsOf } from '../../src/adapters/dicomweb/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import type { AccessAuditEvent } from '../../src/main/services/access/audit-port.ts';
import { dispatchApiCall } from '../../src/main/services/api/index.ts';
import { createWorkstation } from '../../src/main/composition/index.ts';
import { cacheKeyOf } from '../../src/main/services/patient-record/index.ts';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import { securedDemoHospital } from '../support/secured-demo-hospital.ts';

/**
 * Issue 13, items 1–3, replayed over real sockets against the demo hospital (FHIR, MLLP, SOAP,
 * Orthanc) with a real encrypted cache: 张伟's ref plus another patient's refs in one open, his
 * entries and study asked for through the open 张伟, break-the-glass for one person stretched to
 * another — each refused, audited as a denial, nothing of the other patient fetched or cached.
 */
const demo = securedDemoHospital({ cache: 'one-person' });
/** 杨俊杰: five systems, a CT, none of it on CARD-1 or attended by D1001. */
const OTHER = 1;

async function cachedAny(refs: readonly SourcePatientRef[]): Promise<string[]> {
  const held = await Promise.all(refs.map(async (ref) => ((await demo.cache.hasPatient(cacheKeyOf(ref))) ? [cacheKeyOf(ref)] : [])));
  return held.flat();
}

describe('one decision per person, before anything is fetched (issue 13 over real sockets)', () => {
  it.each(['doctor', 'nurse'] as const)(
    'as the %s: 张伟 plus another patient’s refs is refused, audited, and nothing of him is fetched, cached or served',
    async (username) => {
      const audit: AccessAuditEvent[] = [];
      const api = demo.securedApi(audit);
      await api.handlers.signInLocal({ username, password: DEMO_PASSWORD });
      const zhang = await demo.findOne(api, DEMO_PATIENT.residentId);
      const otherPatient = demo.hospital.data.patients[OTHER]!;
      const other = await demo.findOne(api, otherPatient.residentId!);
      expect(other.refs).toHaveLength(5);
      // What the other patient's record holds, read by a workstation of its own without a cache (the test's oracle).
      const bystander = await createWorkstation(demo.config);
      const { entries: otherEntries } = await bystander.loadTimeline(other.refs);
      await bystander.close();
      expect(otherEntries.length).toBeGreaterThan(30);
      const otherStudies = [
        ...new Set(otherEntries.filter((e) => e.kind === 'imaging').flatMap((e) => studyInstanceUidsOf(e.resource as ImagingStudy))),
      ].filter((uid) => /^[0-9.]+$/.test(uid));
      expect(otherStudies.length).toBeGreaterThan(0);

      // The attack as reported: 张伟's CDR ref plus the other patient's five refs; and both whole.
      for (const refs of [
        [zhang.refs[0]!, ...other.refs],
        [...zhang.refs, ...other.refs],
        [...other.refs, zhang.refs[0]!],
      ]) {
        const attempt = await dispatchApiCall(api.handlers, 'openPatient', { refs });
        expect(attempt).toMatchObject({ ok: false, status: 403, error: { code: 'access-denied', denial: 'not-one-person' } });
        expect(audit.at(-1)).toMatchObject({
          action: 'access-denied',
          outcome: 'denied',
          entity: { detail: expect.stringContaining('not-one-person') },
        });
      }
      // His refs alone are outside this user's care: refused, break-the-glass offered.
      expect(await dispatchApiCall(api.handlers, 'openPatient', { refs: other.refs })).toMatchObject({
        ok: false,
        status: 403,
        error: { denial: 'outside-care' },
      });
      expect(audit.filter((e) => e.action === 'patient-open')).toEqual([]);
      expect(await cachedAny(other.refs)).toEqual([]);

      // 张伟 opens; nothing of the other patient is in his record, and asking for the other's entries or study is refused.
      const opened = await api.handlers.openPatient({ refs: zhang.refs });
      expect(opened.access.basis).toBe(username === 'doctor' ? 'treating' : 'ward');
      const text = JSON.stringify(opened);
      for (const ref of other.refs) expect(text).not.toContain(ref.sourcePatientId);
      expect(text).not.toContain(otherPatient.displayName);
      expect(
        await dispatchApiCall(api.handlers, 'entryResources', {
          viewId: opened.viewId,
          entryIds: otherEntries.slice(0, 5).map((e) => e.id),
        }),
      ).toMatchObject({ ok: false, status: 400 });
      // Nor is a view of his document recorded against 张伟's open (the document-view gate).
      const hisDocument = otherEntries.find((e) => e.kind === 'document')!;
      expect(await dispatchApiCall(api.handlers, 'recordView', { viewId: opened.viewId, entryId: hisDocument.id })).toMatchObject({
        ok: false,
        status: 400,
      });
      const view = demo.seriesViewer(api);
      for (const uid of otherStudies) expect((await view.series(uid)).status).toBe(403);
      // The viewer still serves 张伟's own study to the doctor (the nurse's role reads no images).
      const ownStudy = opened.entries.find((e) => e.kind === 'imaging');
      if (username === 'doctor') expect((await view.series(ownStudy!.resource.id!)).status).toBe(200);
      expect(await cachedAny(other.refs)).toEqual([]);
      expect((await cachedAny(zhang.refs)).length).toBeGreaterThan(0);
      api.close();
    },
  );

  it('break-the-glass covers exactly the person it was asked for: not another’s refs, not in one request', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const zhang = await demo.findOne(api, DEMO_PATIENT.residentId);
    const third = await demo.findOne(api, demo.hospital.data.patients[2]!.residentId!);
    const reason = '急诊会诊，患者意识不清需查既往史';
    // A grant asked for two people at once is refused.
    expect(await dispatchApiCall(api.handlers, 'breakGlass', { refs: [third.refs[0]!, zhang.refs[0]!], reason })).toMatchObject({
      ok: false,
      status: 403,
      error: { denial: 'not-one-person' },
    });
    // A grant for the third patient's CDR record only.
    await api.handlers.breakGlass({ refs: [third.refs[0]!], reason });
    expect(audit.at(-1)).toMatchObject({ action: 'break-glass', patient: { refs: [third.refs[0]] } });
    // It does not stretch over 张伟's or another patient's refs sent along.
    const fourth = await demo.findOne(api, demo.hospital.data.patients[3]!.residentId!);
    for (const refs of [
      [third.refs[0]!, ...fourth.refs],
      [third.refs[0]!, zhang.refs[1]!],
    ]) {
      expect(await dispatchApiCall(api.handlers, 'openPatient', { refs })).toMatchObject({
        ok: false,
        status: 403,
        error: { denial: 'not-one-person' },
      });
    }
    expect(await cachedAny(fourth.refs)).toEqual([]);
    // The person's own records: only the one the grant names is fetched and cached.
    const opened = await api.handlers.openPatient({ refs: third.refs });
    expect(opened.access).toMatchObject({ basis: 'break-glass', reason });
    expect(new Set(opened.entries.flatMap((e) => e.provenance.map((p) => p.sourceId)))).toEqual(new Set([third.refs[0]!.sourceId]));
    expect(audit.at(-1)).toMatchObject({
      action: 'patient-open',
      patient: { refs: [third.refs[0]] },
      entity: { detail: expect.stringContaining('not covered, not fetched') },
    });
    expect(await cachedAny(third.refs)).toEqual([cacheKeyOf(third.refs[0]!)]);
    api.close();
  });
});
