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
import { LIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { RawMllpSender, oruR01 } from '../support/inbound-hl7-harness.ts';
import { freePort } from '../support/free-port.ts';

/**
 * The administrator's console as composed for a host (cache, audit trail, source health, access
 * layer) over the demo hospital: the role is decided in main before anything is read, a clinician
 * gets a typed refusal, and what the administrator gets carries no patient data.
 */
let hospital: DemoHospital;
let config: HuizhenConfig;
const protector = () => createPassphraseKeyProtector('admin console test passphrase', { log2Cost: 12 });

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  config = parseConfig({ ...hospital.config, cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-admin-console-')) } });
}, 120_000);
afterAll(async () => {
  await hospital?.stop();
});

async function auditEvents(composed: ComposedWorkstation) {
  return (await composed.audit.log!.recordsAfter(0, 10_000)).records.map((r) => r.event);
}

describe("the administrator's console, composed", () => {
  it('refuses a clinician (typed 403, audited) before anything is read', async () => {
    const composed = await composeWorkstation(config, { protector });
    try {
      await composed.api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      for (const [method, payload] of [
        ['adminSourceHealth', { range: '24h' }],
        ['adminConfiguration', {}],
      ] as const) {
        expect(await dispatchApiCall(composed.api.handlers, method, payload)).toMatchObject({
          ok: false,
          status: 403,
          error: { code: 'access-denied' },
        });
      }
      const events = await auditEvents(composed);
      expect(events.filter((e) => e.action === 'access-denied' && e.entity?.type === 'admin-console')).toHaveLength(2);
      expect(events.some((e) => e.action === 'admin-view')).toBe(false);
      await composed.api.handlers.signOut({});
      expect(await dispatchApiCall(composed.api.handlers, 'adminConfiguration', {})).toMatchObject({ ok: false, status: 401 });
    } finally {
      await composed.workstation.close();
    }
  }, 120_000);

  it('serves the administrator the sources’ history (fed by the probes) and the configuration, each panel audited, no patient data', async () => {
    const composed = await composeWorkstation(config, { protector });
    try {
      await composed.api.handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
      await composed.api.handlers.checkSources({});
      const health = await composed.api.handlers.adminSourceHealth({ range: '24h' });
      const enabled = config.sources.filter((s) => s.enabled).map((s) => s.id);
      expect(health.history.map((s) => s.sourceId)).toEqual(enabled);
      expect(health.now.map((s) => s.sourceId).sort()).toEqual([...enabled].sort());
      for (const series of health.history) {
        expect(series.totals.calls, series.sourceId).toBeGreaterThanOrEqual(1);
        expect(series.totals.p50Ms, series.sourceId).toBeGreaterThanOrEqual(0);
      }
      expect((await composed.api.handlers.adminSourceHealth({ range: '30d' })).starts).toHaveLength(720);

      const view = await composed.api.handlers.adminConfiguration({});
      expect(view.validation.valid).toBe(true);
      expect(view.cache).toMatchObject({ enabled: true, retentionDays: 30 });
      expect(view.entries.some((e) => e.path === 'cache.passphraseEnv' && e.secret?.kind === 'env')).toBe(true);
      const text = JSON.stringify([health, view]);
      for (const phi of [DEMO_PATIENT.residentId, DEMO_PATIENT.fhirId, '张伟', DEMO_PASSWORD]) expect(text).not.toContain(phi);

      const views = (await auditEvents(composed)).filter((e) => e.action === 'admin-view');
      expect(views.map((e) => e.entity?.detail)).toEqual(['sources range=24h', 'sources range=30d', 'configuration']);
      expect(views.every((e) => e.user?.roles.includes('administrator') && !e.patient)).toBe(true);
    } finally {
      await composed.workstation.close();
    }
  }, 120_000);

  it('counts what the inbound HL7 listener received: stored, duplicate, refused', async () => {
    const port = await freePort();
    const pushConfig = parseConfig({
      ...hospital.config,
      cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-admin-console-push-')) },
      inboundHl7: { enabled: true, port, sourceId: 'lis' },
    });
    const composed = await composeWorkstation(pushConfig, { protector });
    try {
      const sender = await RawMllpSender.connect(port);
      try {
        const message = oruR01({ controlId: 'ADMIN-COUNT-1', mrn: LIS_DEMO_MRN, glucose: '6.1' });
        await sender.exchange(message);
        await sender.exchange(message);
        await sender.exchange('this is not an HL7 message');
      } finally {
        sender.close();
      }
      await composed.api.handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
      const { inbound } = await composed.api.handlers.adminConfiguration({});
      expect(inbound).toMatchObject({ enabled: true, address: `127.0.0.1:${port}` });
      expect(inbound.counters).toMatchObject({ received: 3, stored: 1, duplicates: 1 });
      expect(inbound.counters.rejected + inbound.counters.deadLettered).toBe(1);
    } finally {
      await composed.workstation.close();
    }
  }, 120_000);
});
