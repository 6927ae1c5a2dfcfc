/**
 * Critical values and risk alerts through the composition every host serves (issue 16): the
 * demo hospital over loopback, the encrypted cache on disk, the sealed audit log. An
 * acknowledgement is audited and survives a restart; no call sequence reads or acknowledges
 * another patient's values.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import {
  DEMO_CRITICAL_POTASSIUM_ID,
  DEMO_LOW_EGFR_ID,
  OTHER_CRITICAL_HEMOGLOBIN_ID,
} from '../../src/demo-hospital/synthetic/safety-signals.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { dispatchApiCall } from '../../src/main/services/api/dispatch.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { createClinicalAlerts, openAcknowledgementStore } from '../../src/main/services/clinical-alerts/index.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';

let hospital: DemoHospital;
let config: HuizhenConfig;
const protector = () => createPassphraseKeyProtector('critical values test passphrase', { log2Cost: 12 });
/** The CDR's record of the potassium; the LIS sends the same result, and the two are one entry. */
const K_RECORD = { sourceId: 'cdr', nativeId: `Observation/${DEMO_CRITICAL_POTASSIUM_ID}` };
let kEntry = '';

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  config = parseConfig({ ...hospital.config, cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-critical-')) } });
}, 120_000);
afterAll(async () => {
  await hospital?.stop();
});

async function openAs(composed: ComposedWorkstation, username: string, query: string, sourcePatientId: string) {
  await composed.api.handlers.signInLocal({ username, password: DEMO_PASSWORD });
  const { candidates } = await composed.api.handlers.searchPatients({ query });
  const candidate = candidates.find((c) => c.refs.some((r) => r.sourceId === 'cdr' && r.sourcePatientId === sourcePatientId));
  expect(candidate).toBeDefined();
  return composed.api.handlers.openPatient({ refs: candidate!.refs });
}

async function auditEvents(composed: ComposedWorkstation) {
  return (await composed.audit.log!.recordsAfter(0, 10_000)).records.map((r) => r.event);
}

describe('critical values of the open patient, acknowledged, audited and kept', () => {
  let acknowledgedAt = '';

  it('the doctor sees 张伟’s K 6.2 (HH) on top and the eGFR + metformin risk with its entries; acknowledging is audited', async () => {
    const composed = await composeWorkstation(config, { protector });
    try {
      const opened = await openAs(composed, 'doctor', DEMO_PATIENT.residentId, DEMO_PATIENT.fhirId);
      const alerts = await dispatchApiCall(composed.api.handlers, 'patientAlerts', { viewId: opened.viewId });
      expect(alerts.ok).toBe(true);
      const view = (
        alerts as {
          ok: true;
          value: {
            critical: { entryId: string; sourceFlag?: string; value?: number; acknowledged?: unknown }[];
            risks: { ruleId: string; evidence: { condition: string; entryId: string; title: string }[] }[];
            findings: unknown[];
          };
        }
      ).value;
      expect(view.critical[0]).toMatchObject({ sourceFlag: 'HH', value: 6.2, direction: 'high' });
      kEntry = view.critical[0]!.entryId;
      expect(opened.entries.find((e) => e.id === kEntry)?.provenance).toEqual(expect.arrayContaining([expect.objectContaining(K_RECORD)]));
      expect(view.critical[0]!.acknowledged).toBeUndefined();
      const risk = view.risks.find((r) => r.ruleId === 'egfr-low-with-metformin');
      const egfr = opened.entries.find((x) => x.id === risk?.evidence.find((e) => e.condition === 'egfr')?.entryId);
      expect(egfr?.provenance).toEqual(
        expect.arrayContaining([expect.objectContaining({ sourceId: 'cdr', nativeId: `Observation/${DEMO_LOW_EGFR_ID}` })]),
      );
      expect(risk?.evidence.find((e) => e.condition === 'drug')?.title).toMatch(/二甲双胍|Metformin/);
      // Every piece of evidence is an entry of the open timeline, so the renderer can jump to it.
      for (const e of risk!.evidence) expect(opened.entries.some((x) => x.id === e.entryId)).toBe(true);
      expect(view.findings).toEqual([]);

      const ack = await dispatchApiCall(composed.api.handlers, 'acknowledgeCriticalValue', { viewId: opened.viewId, entryId: kEntry });
      expect(ack).toMatchObject({
        ok: true,
        value: { critical: { entryId: kEntry, acknowledged: { by: { id: 'local:doctor', displayName: '李医生' } } } },
      });
      acknowledgedAt = (ack as { ok: true; value: { critical: { acknowledged: { at: string } } } }).value.critical.acknowledged.at;
      const audited = (await auditEvents(composed)).filter((e) => e.action === 'critical-value-acknowledge');
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({
        outcome: 'success',
        user: { id: 'local:doctor' },
        entity: { type: 'Observation', detail: `entry=${kEntry}` },
      });
      expect(audited[0]!.patient?.refs).toEqual(expect.arrayContaining([{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }]));
      await composed.api.handlers.signOut({});
    } finally {
      await composed.workstation.close();
    }
  }, 120_000);

  it('after a restart (the cache reopened), the value is still acknowledged with who and when', async () => {
    expect(acknowledgedAt).not.toBe('');
    const composed = await composeWorkstation(config, { protector });
    try {
      const opened = await openAs(composed, 'doctor', DEMO_PATIENT.residentId, DEMO_PATIENT.fhirId);
      const { critical } = await composed.api.handlers.patientAlerts({ viewId: opened.viewId });
      // The merged entry may be filed under the other system's record this time: found by what it is.
      const k = critical.find((c) => c.sourceFlag === 'HH' && c.value === 6.2);
      expect(k?.acknowledged).toMatchObject({ by: { id: 'local:doctor', displayName: '李医生' }, at: acknowledgedAt });
      // Only the contract's fields leave main: not the system records the acknowledgement is kept under.
      expect(k).not.toHaveProperty('keys');
      expect(k?.acknowledged).not.toHaveProperty('key');
      // Still on the strip, after the values no one has acknowledged yet.
      expect(critical.at(-1)).toBe(k);
    } finally {
      await composed.workstation.close();
    }
  }, 120_000);
});

describe('another patient’s critical values cannot be reached by composing calls', () => {
  it('refuses an entry of another patient through this patient’s open, and any open that is not this user’s', async () => {
    const other = hospital.data.patients[1]!;
    const otherEntry = `cdr:Observation/${other.id}-${OTHER_CRITICAL_HEMOGLOBIN_ID}`;
    const composed = await composeWorkstation(config, { protector });
    try {
      // The other patient's haemoglobin really is critical (by the configured limit): the refusal below is the access layer's.
      const direct = await composed.workstation.handlers.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: other.id }] });
      const unguarded = createClinicalAlerts(config.clinicalAlerts, await openAcknowledgementStore());
      expect(unguarded.forRecord(direct.entries).critical.map((c) => c.entryId)).toContain(otherEntry);
      await composed.workstation.handlers.closePatient({ viewId: direct.viewId });

      const zhang = await openAs(composed, 'doctor', DEMO_PATIENT.residentId, DEMO_PATIENT.fhirId);
      const before = (await auditEvents(composed)).filter((e) => e.action === 'critical-value-acknowledge').length;
      const viaZhang = await dispatchApiCall(composed.api.handlers, 'acknowledgeCriticalValue', {
        viewId: zhang.viewId,
        entryId: otherEntry,
      });
      expect(viaZhang).toMatchObject({ ok: false, status: 400 });
      // Nor a result of this patient that is not critical.
      const normal = zhang.entries.find(
        (e) => e.kind === 'observation' && e.lab?.analyte === 'glucose' && e.lab.value! > 4 && e.lab.value! < 20,
      )!;
      expect(
        await dispatchApiCall(composed.api.handlers, 'acknowledgeCriticalValue', { viewId: zhang.viewId, entryId: normal.id }),
      ).toMatchObject({ ok: false, status: 400 });
      // A view id that is not an open of this user.
      expect(await dispatchApiCall(composed.api.handlers, 'patientAlerts', { viewId: direct.viewId })).toMatchObject({
        ok: false,
        status: 400,
      });
      expect(
        await dispatchApiCall(composed.api.handlers, 'acknowledgeCriticalValue', { viewId: direct.viewId, entryId: otherEntry }),
      ).toMatchObject({ ok: false, status: 400 });
      expect((await auditEvents(composed)).filter((e) => e.action === 'critical-value-acknowledge')).toHaveLength(before);

      // Another user (the nurse, signed in after the doctor) cannot use the doctor's open.
      await composed.api.handlers.signOut({});
      await composed.api.handlers.signInLocal({ username: 'nurse', password: DEMO_PASSWORD });
      expect(await dispatchApiCall(composed.api.handlers, 'patientAlerts', { viewId: zhang.viewId })).toMatchObject({
        ok: false,
        status: 400,
      });
      expect(
        await dispatchApiCall(composed.api.handlers, 'acknowledgeCriticalValue', { viewId: zhang.viewId, entryId: kEntry }),
      ).toMatchObject({ ok: false, status: 400 });
      // Signed out, nothing answers.
      await composed.api.handlers.signOut({});
      expect(await dispatchApiCall(composed.api.handlers, 'patientAlerts', { viewId: zhang.viewId })).toMatchObject({
        ok: false,
        status: 401,
      });
    } finally {
      await composed.workstation.close();
    }
  }, 120_000);
});
