import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { dispatchApiCall } from '../../src/main/services/api/dispatch.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';

/**
 * The console's Quality and Audit panels as composed for a host over the demo hospital: only the
 * administrator role is served (decided in the access layer before the port is asked), a
 * clinician gets a typed refusal that is itself audited, and what the administrator reads —
 * findings fed by a real record build, the sealed audit log — carries no patient data.
 */
let hospital: DemoHospital;
let config: HuizhenConfig;
const protector = () => createPassphraseKeyProtector('admin insight test passphrase', { log2Cost: 12 });

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  config = parseConfig({ ...hospital.config, cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-admin-insight-')) } });
}, 120_000);
afterAll(async () => {
  await hospital?.stop();
});

async function auditEvents(composed: ComposedWorkstation) {
  return (await composed.audit.log!.recordsAfter(0, 10_000)).records.map((r) => r.event);
}

const METHODS = [
  ['adminQualityOverview', { range: '30d' }],
  ['adminQualitySamples', { sourceId: 'lis', kind: 'unmapped-code' }],
  ['adminQualityCsv', { range: '7d' }],
  ['adminAuditSearch', { userId: 'local:doctor' }],
  ['adminAuditStatus', {}],
] as const;

describe("the console's Quality and Audit panels, composed", () => {
  it('refuses a clinician with a typed 403 before anything is read, and audits each refusal', async () => {
    const composed = await composeWorkstation(config, { protector });
    try {
      await composed.api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      for (const [method, payload] of METHODS) {
        expect(await dispatchApiCall(composed.api.handlers, method, payload), method).toMatchObject({
          ok: false,
          status: 403,
          error: { code: 'access-denied' },
        });
      }
      const events = await auditEvents(composed);
      const denied = events.filter((e) => e.action === 'access-denied' && e.entity?.type === 'admin-console');
      expect(denied).toHaveLength(METHODS.length);
      expect(denied.every((e) => e.user?.id === 'local:doctor' && !e.patient)).toBe(true);
      expect(events.some((e) => e.action === 'admin-view')).toBe(false);
      await composed.api.handlers.signOut({});
      expect(await dispatchApiCall(composed.api.handlers, 'adminAuditSearch', {})).toMatchObject({ ok: false, status: 401 });
    } finally {
      await composed.workstation.close();
    }
  }, 120_000);

  it('serves the administrator findings from a real record build, masked drill-downs, CSV, the searched trail and an intact chain; all audited', async () => {
    const composed = await composeWorkstation(config, { protector });
    try {
      const { handlers } = composed.api;
      // A ward doctor opens 张伟: the complete build feeds the aggregates.
      await handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      const { candidates } = await handlers.searchPatients({ query: DEMO_PATIENT.residentId });
      const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))!;
      await handlers.openPatient({ refs: zhang.refs });
      await handlers.signOut({});

      await handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
      const overview = await handlers.adminQualityOverview({ range: '30d' });
      expect(overview.days).toHaveLength(30);
      expect(overview.assessments).toBeGreaterThanOrEqual(1);
      const lis = overview.sources.find((s) => s.sourceId === 'lis');
      expect(lis?.byKind['unmapped-code']).toBeGreaterThanOrEqual(1);
      expect(overview.topUnmapped.some((u) => u.code === 'VS-ADM')).toBe(true);

      const { samples } = await handlers.adminQualitySamples({ sourceId: 'lis', kind: 'unmapped-code' });
      expect(samples.length).toBeGreaterThanOrEqual(1);
      expect(samples[0]).toMatchObject({ maskedRef: expect.stringMatching(/^S-[0-9a-f]{10}$/), field: expect.any(String) });

      const { csv, filename } = await handlers.adminQualityCsv({ range: '30d' });
      expect(filename).toMatch(/^huizhen-quality-30d-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(csv).toContain('VS-ADM');

      const search = await handlers.adminAuditSearch({ userId: 'local:doctor', actions: ['patient-open'], page: 0, pageSize: 50 });
      expect(search.total).toBe(1);
      // One audit mask per record the open names; none of them is (or shares its digits with) the sample's reference.
      expect(search.rows[0]).toMatchObject({ action: 'patient-open', userId: 'local:doctor' });
      expect(search.rows[0]!.patients).toHaveLength(zhang.refs.length);
      expect(search.rows[0]!.patients!.some((m) => m.slice(2) === samples[0]!.maskedRef.slice(2))).toBe(false);
      const byPatient = await handlers.adminAuditSearch({ patient: zhang.refs[0]!, page: 0, pageSize: 50 });
      expect(byPatient.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['patient-open']));
      // Newest first, paged.
      const all = await handlers.adminAuditSearch({ page: 0, pageSize: 2 });
      expect(all.rows).toHaveLength(2);
      expect(all.rows[0]!.seq).toBeGreaterThan(all.rows[1]!.seq);

      // The doctor's search text (a 身份证 number) is in the sealed event, never in what the console lists.
      const searches = await handlers.adminAuditSearch({ actions: ['patient-search'], page: 0, pageSize: 200 });
      expect(searches.total).toBeGreaterThanOrEqual(1);
      expect(searches.rows.every((r) => r.detail === undefined)).toBe(true);

      const status = await handlers.adminAuditStatus({});
      expect(status).toMatchObject({ kept: true, chain: { ok: true, problems: [], witness: 'agrees' } });

      const text = JSON.stringify([overview, samples, csv, search, byPatient, all, searches, status]);
      for (const phi of [DEMO_PATIENT.residentId, DEMO_PATIENT.fhirId, DEMO_PATIENT.mrn, DEMO_PATIENT.nameHanzi, DEMO_PATIENT.namePinyin])
        expect(text).not.toContain(phi);

      const views = (await auditEvents(composed)).filter((e) => e.action === 'admin-view');
      expect(views.map((e) => e.entity?.detail)).toEqual([
        'quality range=30d',
        'quality drill-down source=lis kind=unmapped-code',
        'quality export csv range=30d',
        'audit search user=local:doctor actions=patient-open page=0',
        'audit search patient=(see patient) page=0',
        'audit search page=0',
        'audit search actions=patient-search page=0',
        'audit status',
      ]);
      // The search by patient names the reference searched for, in the sealed event, as any access about a patient does.
      expect(views[4]!.patient).toEqual({ refs: [zhang.refs[0]] });
    } finally {
      await composed.workstation.close();
    }
  }, 180_000);
});
