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
import { PATIENT_SEARCH_LIMITS } from '../../src/main/services/access/patient-search-limit.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import type { QualityCode } from '../../src/shared/domain/quality.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';

/**
 * The auditor's oracle (issue 19), replayed over the demo hospital in bad-data mode: an
 * administrator reads every quality drill-down, then walks sequential record ids through the
 * audit search hoping a search's masks equal a sample's. None may, the walk stops at the rate
 * limit with a typed refusal that is itself on the trail, and one record reference carries one
 * mask everywhere in the trail (the doctor's open and the administrator's own search of it).
 */
let hospital: DemoHospital;
let config: HuizhenConfig;
const protector = () => createPassphraseKeyProtector('audit mask oracle passphrase', { log2Cost: 12 });
const perMinute = PATIENT_SEARCH_LIMITS[0]!.max;

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false, badData: true });
  config = parseConfig({ ...hospital.config, cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-mask-oracle-')) } });
}, 120_000);
afterAll(async () => {
  await hospital?.stop();
});

describe('masked references in the console cannot be joined', () => {
  it('no audit-search mask of a sequential record id equals a quality sample; the walk is refused at the limit, audited', async () => {
    const composed = await composeWorkstation(config, { protector });
    try {
      const { handlers } = composed.api;
      await handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      const opened: { sourceId: string; sourcePatientId: string }[][] = [];
      for (const query of [DEMO_PATIENT.residentId, ...hospital.badData!.patients.map((p) => p.mrn)]) {
        const { candidates } = await handlers.searchPatients({ query });
        const refs = candidates[0]!.refs;
        await handlers.openPatient({ refs });
        opened.push(refs);
      }
      await handlers.signOut({});

      await handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
      const overview = await handlers.adminQualityOverview({ range: '30d' });
      const samples: string[] = [];
      for (const source of overview.sources)
        for (const kind of Object.keys(source.byKind) as QualityCode[])
          samples.push(...(await handlers.adminQualitySamples({ sourceId: source.sourceId, kind })).samples.map((s) => s.maskedRef));
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.every((s) => /^S-[0-9a-f]{10}$/.test(s))).toBe(true);
      const sampleHex = new Set(samples.map((s) => s.slice(2)));

      // The walk: cdr's sequential ids as the auditor typed them, one search each, until refused.
      const ids = [...hospital.badData!.patients.map((p) => p.fhirId), 'pat-0001', 'pat-0002', 'pat-0003'];
      const seen = new Set<string>();
      const outcomes: (number | string)[] = [];
      for (const id of ids) {
        const answer = await dispatchApiCall(handlers, 'adminAuditSearch', {
          patient: { sourceId: 'cdr', sourcePatientId: id },
          page: 0,
          pageSize: 200,
        });
        if (!answer.ok) {
          expect(answer).toMatchObject({ status: 403, error: { code: 'access-denied', denial: 'search-rate' } });
          outcomes.push('refused');
          continue;
        }
        const { rows } = answer.value as { rows: { patients?: string[] }[] };
        outcomes.push(rows.length);
        for (const row of rows) for (const p of row.patients ?? []) seen.add(p);
      }
      expect(outcomes.slice(0, perMinute).every((o) => typeof o === 'number')).toBe(true);
      expect(outcomes.slice(perMinute).every((o) => o === 'refused')).toBe(true);
      expect(seen.size).toBeGreaterThan(0);
      expect([...seen].filter((m) => sampleHex.has(m.slice(2)))).toEqual([]);
      // The whole trail, every mask in it: none is a sample either.
      const all = await handlers.adminAuditSearch({ page: 0, pageSize: 200 });
      const everyMask = all.rows.flatMap((r) => r.patients ?? []);
      expect(everyMask.every((m) => /^P-[0-9a-f]{10}$/.test(m))).toBe(true);
      expect(everyMask.filter((m) => sampleHex.has(m.slice(2)))).toEqual([]);

      // Paging through, or searching again, a reference already searched is not one more.
      const again = await dispatchApiCall(handlers, 'adminAuditSearch', {
        patient: { sourceId: 'cdr', sourcePatientId: ids[0]! },
        page: 1,
        pageSize: 1,
      });
      expect(again.ok).toBe(true);
      // A pattern is not a reference.
      const wildcard = await dispatchApiCall(handlers, 'adminAuditSearch', { patient: { sourceId: 'cdr', sourcePatientId: 'pat-*' } });
      expect(wildcard).toMatchObject({ ok: false, status: 400, error: { code: 'invalid-request' } });

      const refusals = (await composed.audit.log!.recordsAfter(0, 10_000)).records
        .map((r) => r.event)
        .filter((e) => e.action === 'access-denied' && e.user?.id === 'local:admin');
      expect(refusals.map((e) => e.patient?.refs[0]?.sourcePatientId)).toEqual(ids.slice(perMinute));
      expect(refusals.every((e) => /refused: too many patient references searched/.test(e.entity?.detail ?? ''))).toBe(true);
    } finally {
      await composed.workstation.close();
    }
  }, 240_000);

  it('gives one record reference one mask in every event of the trail, the administrator’s own search included', async () => {
    const composed = await composeWorkstation(config, { protector });
    try {
      const { handlers } = composed.api;
      await handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      const { candidates } = await handlers.searchPatients({ query: DEMO_PATIENT.residentId });
      const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))!;
      expect(zhang.refs.length).toBeGreaterThan(1);
      await handlers.openPatient({ refs: zhang.refs });
      await handlers.signOut({});

      await handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
      const cdr = zhang.refs.find((r) => r.sourcePatientId === DEMO_PATIENT.fhirId)!;
      const byCdr = await handlers.adminAuditSearch({ patient: cdr, page: 0, pageSize: 200 });
      const ownSearch = byCdr.rows.find((r) => r.action === 'admin-view' && r.userId === 'local:admin')!;
      const opens = byCdr.rows.filter((r) => r.action === 'patient-open');
      expect(opens.length).toBeGreaterThanOrEqual(1);
      expect(ownSearch.patients).toHaveLength(1);
      const [mask] = ownSearch.patients!;
      // The open names all of the person's records, one mask each; the searched one's is the search's.
      for (const open of opens) {
        expect(open.patients).toHaveLength(new Set(zhang.refs.map((r) => `${r.sourceId}/${r.sourcePatientId}`)).size);
        expect(open.patients).toContain(mask);
      }
      // Searched by another of the person's records: the same open, and that record's own mask.
      const other = zhang.refs.find((r) => r !== cdr)!;
      const byOther = await handlers.adminAuditSearch({ patient: other, page: 0, pageSize: 200 });
      const otherSearch = byOther.rows.find((r) => r.action === 'admin-view' && r.userId === 'local:admin')!;
      expect(otherSearch.patients![0]).not.toBe(mask);
      expect(byOther.rows.filter((r) => r.action === 'patient-open').map((r) => r.patients)).toEqual(opens.map((r) => r.patients));
      expect(opens[0]!.patients).toContain(otherSearch.patients![0]);
    } finally {
      await composed.workstation.close();
    }
  }, 180_000);
});
