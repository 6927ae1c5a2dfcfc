import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { LIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';

/**
 * Sources that echo the query back in their error answers — the FHIR server quoting the request
 * (a 身份证 in `identifier=`, a name in `name=`, a record id in the path) in its OperationOutcome,
 * the integration platform naming the patient in its acknowledgement AE — must not get any of it
 * into the administrator's console: its answers carry codes, statuses and endpoint templates only.
 */
let hospital: DemoHospital;
let config: HuizhenConfig;
const protector = () => createPassphraseKeyProtector('admin source errors test passphrase', { log2Cost: 12 });
const PHI = [
  DEMO_PATIENT.residentId,
  DEMO_PATIENT.fhirId,
  DEMO_PATIENT.mrn,
  DEMO_PATIENT.nameHanzi,
  DEMO_PATIENT.namePinyin,
  encodeURIComponent(DEMO_PATIENT.nameHanzi),
  LIS_DEMO_MRN,
];

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  config = parseConfig({ ...hospital.config, cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-admin-source-errors-')) } });
}, 120_000);
afterAll(async () => {
  await hospital?.stop();
});

describe('source failures that quote the patient, as the administrator sees them', () => {
  it('reach the console as codes and endpoint templates: no id, name or 身份证 in any of its answers', async () => {
    hospital.fhir.faults.set({ errorRate: 1, errorStatus: 400, echoRequest: true });
    hospital.platform.faults.set({
      acknowledgement: {
        typeCode: 'AE',
        text: `查无此人：${DEMO_PATIENT.nameHanzi}（${DEMO_PATIENT.namePinyin}）身份证 ${DEMO_PATIENT.residentId} 病历号 ${DEMO_PATIENT.mrn}`,
      },
    });
    // The knob is hostile as meant: the FHIR server's own answer quotes the 身份证 and the name.
    const echoed = await fetch(`${hospital.fhirBaseUrl}/Patient?identifier=${DEMO_PATIENT.residentId}&name=${DEMO_PATIENT.nameHanzi}`);
    const echoedText = await echoed.text();
    expect(echoed.status).toBe(400);
    expect(echoedText).toContain(DEMO_PATIENT.residentId);
    expect(echoedText).toContain(DEMO_PATIENT.nameHanzi);

    const composed = await composeWorkstation(config, { protector });
    try {
      await composed.api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      for (const query of [DEMO_PATIENT.residentId, DEMO_PATIENT.nameHanzi, DEMO_PATIENT.mrn]) {
        await composed.api.handlers.searchPatients({ query });
      }
      // An open by reference puts the record id in the request path (GET Patient/pat-0001/…).
      await composed.api.handlers.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }] }).catch(() => undefined);
      await composed.api.handlers.signOut({});

      await composed.api.handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
      const health = await composed.api.handlers.adminSourceHealth({ range: '24h' });
      const listed = await composed.api.handlers.listSources({});
      const configuration = await composed.api.handlers.adminConfiguration({});
      const forwarding = await composed.api.handlers.adminAuditStatus({}).catch(() => undefined);

      // The failures are still there to see, as codes with their parameters.
      const cdr = health.now.find((s) => s.sourceId === 'cdr');
      expect(cdr?.error).toMatchObject({ code: 'bad-request', status: 400 });
      expect(cdr?.error?.endpoint).toMatch(/^GET Patient(\/\{id\}(\/\$everything)?)?$/);
      const platform = health.now.find((s) => s.kind === 'hl7v3');
      expect(platform?.error?.code).toBeDefined();
      expect(health.history.find((s) => s.sourceId === 'cdr')?.totals.errors).toBeGreaterThan(0);

      const text = JSON.stringify([health, listed, configuration, forwarding]);
      for (const phi of PHI) expect(text, phi).not.toContain(phi);
      expect(text).not.toContain('查无此人');
      expect(text).not.toContain('identifier=');
    } finally {
      await composed.workstation.close();
      hospital.fhir.faults.reset();
      hospital.platform.faults.reset();
    }
  }, 180_000);
});
