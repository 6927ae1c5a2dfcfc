import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';
import type { LinkAuditEvent } from '../../src/main/services/identity/link-decisions.ts';
import { composeWorkstation, createWorkstation, linkAuditEvent, type Workstation } from '../../src/main/composition/index.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { auditKeysOf, openAuditTrail } from '../../src/main/services/audit-trail/index.ts';
import { readAuditEvents } from '../../src/main/services/audit/index.ts';
import type { User } from '../../src/shared/domain/user.ts';
import { dispatchApiCall } from '../../src/main/services/api/dispatch.ts';
import type { PatientCandidate } from '../../src/shared/domain/patient.ts';

let hospital: DemoHospital;
const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-links-'));
const auditDir = mkdtempSync(join(tmpdir(), 'huizhen-links-audit-'));
const audit: LinkAuditEvent[] = [];
const DR_LI: User = { id: 'dr.li', displayName: '李医生', roles: ['ward-doctor'], wards: [], authMethod: 'local' };

/** With the cache, link events also go to the audit service's sealed log, as the composed workstation sends them. */
async function workstation(withCache = true): Promise<Workstation> {
  const config = parseConfig(hospital.config);
  // A low scrypt cost keeps the test quick; the cost is the protector's, not the cache's, concern.
  const cache = withCache
    ? await openCacheStore({ directory: cacheDir, protector: createPassphraseKeyProtector('links test passphrase', { log2Cost: 12 }) })
    : undefined;
  const trail = cache ? await openAuditTrail({ ...config, audit: { ...config.audit, directory: auditDir } }, cache, () => {}) : undefined;
  const recorded: Promise<void>[] = [];
  return createWorkstation(config, {
    ...(cache ? { cache } : {}),
    userId: () => 'dr.li',
    auditEvents: (e) => {
      audit.push(e);
      if (trail) recorded.push(trail.record(linkAuditEvent(e, DR_LI)));
    },
    beforeClose: async () => {
      await Promise.all(recorded);
      await trail?.close();
    },
  });
}

const hasRef = (c: PatientCandidate, sourceId: string, id: string) =>
  c.refs.some((r) => r.sourceId === sourceId && r.sourcePatientId === id);
const zhangOf = (candidates: PatientCandidate[]) => candidates.find((c) => hasRef(c, 'cdr', DEMO_PATIENT.fhirId))!;
const HIS_REF = { sourceId: 'his', sourcePatientId: HIS_DEMO_MRN };

beforeAll(async () => {
  hospital = await startDemoHospital();
});
afterAll(async () => hospital.stop());

describe('confirm and unlink are remembered and audited (real demo hospital, encrypted cache)', () => {
  it('unlinking the HIS record from 张伟 shows it separately on the next search, and after a restart', async () => {
    const ws = await workstation();
    try {
      const before = zhangOf((await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi })).candidates);
      expect(hasRef(before, 'his', HIS_DEMO_MRN)).toBe(true);
      const started = Date.now();
      for (const other of before.refs.filter((r) => r.sourceId !== 'his')) {
        expect(await ws.handlers.unlinkPatients({ a: HIS_REF, b: other, note: 'different person, wrong registration' })).toEqual({
          ok: true,
        });
      }
      const after = (await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi })).candidates;
      expect(hasRef(zhangOf(after), 'his', HIS_DEMO_MRN)).toBe(false);
      const his = after.find((c) => hasRef(c, 'his', HIS_DEMO_MRN));
      expect(his?.refs.map((r) => r.sourceId)).toEqual(['his']);

      const unlinks = audit.filter((e) => e.action === 'unlink');
      expect(unlinks).toHaveLength(before.refs.length - 1);
      for (const e of unlinks) {
        expect(e).toMatchObject({ by: 'dr.li', a: HIS_REF, note: 'different person, wrong registration' });
        expect(Date.parse(e.at)).toBeGreaterThanOrEqual(started - 1000);
      }
      // The CDR record was seen in the search, so the audit shows the verdict the user overrode.
      expect(unlinks.find((e) => e.b.sourceId === 'cdr')?.matcher).toMatchObject({ outcome: 'linked' });
    } finally {
      await ws.close();
    }

    const again = await workstation();
    try {
      const candidates = (await again.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi })).candidates;
      expect(hasRef(zhangOf(candidates), 'his', HIS_DEMO_MRN)).toBe(false);
      // Searching by the HIS MRN (which also pulls the others in by 身份证) keeps it apart too.
      const byMrn = (await again.handlers.searchPatients({ query: HIS_DEMO_MRN })).candidates;
      expect(byMrn.find((c) => hasRef(c, 'his', HIS_DEMO_MRN))?.refs).toHaveLength(1);
      const { decisions } = await again.handlers.listLinkDecisions({ refs: [HIS_REF] });
      expect(decisions.length).toBe(3);
      expect(decisions.every((d) => d.verdict === 'unlinked' && d.decidedBy === 'dr.li')).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('re-linking the unlinked record (confirm) brings it back, and the audit service holds every event', async () => {
    const ws = await workstation();
    try {
      const { decisions } = await ws.handlers.listLinkDecisions({ refs: [HIS_REF] });
      for (const d of decisions) await ws.handlers.confirmLink({ a: d.a, b: d.b });
      const zhang = zhangOf((await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi })).candidates);
      expect(hasRef(zhang, 'his', HIS_DEMO_MRN)).toBe(true);
      expect(zhang.link.outcome).toBe('linked');
      expect(
        zhang.link.reasons.some((r) => r.code === 'pair' && r.decision?.verdict === 'confirmed' && r.decision.decidedBy === 'dr.li'),
      ).toBe(true);
    } finally {
      await ws.close();
    }
    const cache = await openCacheStore({
      directory: cacheDir,
      protector: createPassphraseKeyProtector('links test passphrase', { log2Cost: 12 }),
    });
    try {
      const { events, problems } = await readAuditEvents(auditDir, auditKeysOf(cache), { actions: ['identity-link', 'identity-unlink'] });
      expect(problems).toEqual([]);
      expect(events.map((e) => e.event.action)).toEqual([
        'identity-unlink',
        'identity-unlink',
        'identity-unlink',
        'identity-link',
        'identity-link',
        'identity-link',
      ]);
      expect(events.every((e) => e.event.user?.id === 'dr.li')).toBe(true);
    } finally {
      cache.close();
    }
  });

  it('confirming a "possible" pair links it', async () => {
    // A second CDR registration of 张伟 with a transposed birth date and no 身份证: the matcher can only call it possible.
    const duplicate = await hospital.fhir.repository.createResource<Patient>({
      resourceType: 'Patient',
      name: [{ text: '张伟', family: '张', given: ['伟'] }],
      gender: 'male',
      birthDate: '1968-03-21',
    });
    const ws = await workstation(false);
    try {
      const found = (await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi })).candidates;
      const possible = found.find((c) => hasRef(c, 'cdr', duplicate.id!));
      expect(possible?.link.outcome).toBe('possible');
      const pairs = possible!.refs.flatMap((a, i) => possible!.refs.slice(i + 1).map((b) => [a, b] as const));
      for (const [a, b] of pairs) await ws.handlers.confirmLink({ a, b, note: 'checked the wristband' });
      const after = (await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi })).candidates.find((c) =>
        hasRef(c, 'cdr', duplicate.id!),
      );
      expect(after?.link.outcome).toBe('linked');
      expect(after?.refs.length).toBe(possible!.refs.length);
      expect(audit.at(-1)).toMatchObject({ action: 'link-confirm', by: 'dr.li', note: 'checked the wristband' });
    } finally {
      await ws.close();
      await hospital.fhir.repository.deleteResource('Patient', duplicate.id!);
    }
  });

  it('refuses decisions about systems that are not configured, and a record with itself', async () => {
    const ws = await workstation(false);
    try {
      const fail = await dispatchApiCall(ws.handlers, 'unlinkPatients', { a: HIS_REF, b: { sourceId: 'nowhere', sourcePatientId: '1' } });
      expect(fail).toMatchObject({ ok: false, status: 400 });
      await expect(ws.handlers.confirmLink({ a: HIS_REF, b: HIS_REF })).rejects.toThrow(/itself/);
      const invalid = await dispatchApiCall(ws.handlers, 'confirmLink', { a: HIS_REF });
      expect(invalid).toMatchObject({ ok: false, status: 400 });
      const tooLong = await dispatchApiCall(ws.handlers, 'confirmLink', {
        a: HIS_REF,
        b: { sourceId: 'cdr', sourcePatientId: 'x' },
        note: 'x'.repeat(501),
      });
      expect(tooLong).toMatchObject({ ok: false, status: 400 });
    } finally {
      await ws.close();
    }
  });
});

describe('as the hosts compose it', () => {
  it('an unlink through the secured API is sealed in the audit log under the signed-in user', async () => {
    const home = mkdtempSync(join(tmpdir(), 'huizhen-links-composed-'));
    const config = parseConfig({
      ...hospital.config,
      cache: { enabled: true, directory: join(home, 'cache') },
      audit: { directory: join(home, 'audit') },
    });
    const protector = () => createPassphraseKeyProtector('links composed passphrase', { log2Cost: 12 });
    const { workstation: ws, api } = await composeWorkstation(config, { protector });
    let userId: string | undefined;
    try {
      const { session } = await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      userId = session.user?.id;
      const zhang = zhangOf((await api.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi })).candidates);
      const cdr = zhang.refs.find((r) => r.sourceId === 'cdr')!;
      // Unlinking is offered in an open patient's banner (attack-api.test.ts: never for records not open).
      await api.handlers.openPatient({ refs: zhang.refs });
      await api.handlers.unlinkPatients({ a: HIS_REF, b: cdr, note: 'composed' });
      await api.handlers.confirmLink({ a: HIS_REF, b: cdr });
    } finally {
      await ws.close();
    }
    expect(userId).toBeTruthy();
    const cache = await openCacheStore({ directory: join(home, 'cache'), protector: protector() });
    try {
      const { events } = await readAuditEvents(join(home, 'audit'), auditKeysOf(cache), { actions: ['identity-link', 'identity-unlink'] });
      expect(events.map((e) => [e.event.action, e.event.user?.id])).toEqual([
        ['identity-unlink', userId],
        ['identity-link', userId],
      ]);
      expect(events[0]!.event.entity?.detail).toContain('note: composed');
    } finally {
      cache.close();
    }
  });
});
