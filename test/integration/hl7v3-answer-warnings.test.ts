import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { PLATFORM_SOURCE_ID } from '../../src/demo-hospital/platform-soap/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import type { SourceStatus } from '../../src/shared/domain/source.ts';

/**
 * The demo platform answers AA but partly — a W acknowledgementDetail, and a patient without the
 * person the adapter must skip — and the clinician's tab, over the real browser host, reads the
 * platform "answered, with warnings", never as a plain OK; the administrator finds the partial
 * answers in the console's quality figures by the platform's code. The platform's own words reach
 * neither.
 */
let hospital: DemoHospital;
let composed: ComposedWorkstation;
let host: BrowserHost;
let home: string;

const WARNING_TEXT = '院区B 主索引未响应，结果可能不完整';

interface Tab {
  call(method: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

async function tab(): Promise<Tab> {
  const redeemed = await fetch(host.newLoginUrl(), { redirect: 'manual' });
  const cookie = redeemed.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(redeemed.status).toBe(303);
  return {
    async call(method, body = {}) {
      const response = await fetch(`${host.origin}/api/${method}`, {
        method: 'POST',
        headers: { origin: host.origin, cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
}

async function signedIn(username: string): Promise<Tab> {
  const t = await tab();
  const answer = await t.call('signInLocal', { username, password: DEMO_PASSWORD });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return t;
}

const platformOf = (sources: unknown): SourceStatus | undefined =>
  (sources as SourceStatus[]).find((s) => s.sourceId === PLATFORM_SOURCE_ID);

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  home = mkdtempSync(join(tmpdir(), 'huizhen-v3-warnings-'));
  const config = parseConfig({ ...hospital.config, cache: { enabled: true, directory: join(home, 'cache') } });
  composed = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('v3 warnings test passphrase', { log2Cost: 12 }),
  });
  host = await startBrowserHost({
    backend: composed.api,
    staticHandler: () => Promise.resolve(new Response('no renderer in this test', { status: 404 })),
  });
}, 120_000);
afterAll(async () => {
  await host?.close();
  await composed?.workstation.close();
  await hospital?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});
afterEach(() => hospital.platform.faults.reset());

describe('an HL7 v3 answer accepted with warnings, over the real host', () => {
  it('search and open: the platform reads "answered, with warnings" by code and count; a whole answer clears them', async () => {
    const doctor = await signedIn('doctor');
    hospital.platform.faults.set({
      answerWarning: { detail: { code: 'RESULT-TRUNCATED', text: WARNING_TEXT }, patientWithoutPerson: true },
    });
    const found = await doctor.call('searchPatients', { query: DEMO_PATIENT.nameHanzi });
    expect(found.status).toBe(200);
    const searched = platformOf(found.body['sources']);
    expect(searched?.state).toMatch(/^(ok|slow)$/);
    expect(searched?.warnings).toEqual(
      expect.arrayContaining([
        { code: 'platform-warning', count: expect.any(Number), detailCode: 'RESULT-TRUNCATED' },
        { code: 'record-skipped', count: expect.any(Number) },
      ]),
    );
    // The patient the platform sent whole is still found: a warning is not a failure.
    const candidates = found.body['candidates'] as { refs: { sourceId: string; sourcePatientId: string }[] }[];
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourceId === PLATFORM_SOURCE_ID));
    expect(zhang).toBeDefined();

    const opened = await doctor.call('openPatient', { refs: zhang!.refs });
    expect(opened.status).toBe(200);
    const open = platformOf(opened.body['sources']);
    expect(open?.state).toMatch(/^(ok|slow)$/);
    // PDQ by id, the document list and each retrieve each carried the W detail: one row, counted.
    const platformWarning = open?.warnings?.find((w) => w.code === 'platform-warning');
    expect(platformWarning).toMatchObject({ detailCode: 'RESULT-TRUNCATED' });
    expect(platformWarning!.count).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify([found.body, opened.body])).not.toContain(WARNING_TEXT);

    // The status bar's own source list (what a later tab reads) agrees.
    const listed = await doctor.call('listSources');
    expect(platformOf(listed.body['sources'])?.warnings?.length).toBeGreaterThan(0);

    hospital.platform.faults.reset();
    const again = await doctor.call('searchPatients', { query: DEMO_PATIENT.nameHanzi });
    expect(platformOf(again.body['sources'])?.warnings).toBeUndefined();
    await doctor.call('signOut');
  }, 120_000);

  it("the administrator's console counts the partial answers by source and the platform's code, with no patient data", async () => {
    const doctor = await signedIn('doctor');
    hospital.platform.faults.set({ answerWarning: { detail: { code: 'RESULT-TRUNCATED', text: WARNING_TEXT } } });
    const found = await doctor.call('searchPatients', { query: DEMO_PATIENT.residentId });
    const candidates = found.body['candidates'] as { refs: { sourceId: string; sourcePatientId: string }[] }[];
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourceId === PLATFORM_SOURCE_ID))!;
    expect((await doctor.call('openPatient', { refs: zhang.refs })).status).toBe(200);
    await doctor.call('signOut');

    const admin = await signedIn('admin');
    const overview = await admin.call('adminQualityOverview', { range: '7d' });
    expect(overview.status).toBe(200);
    const sources = overview.body['sources'] as { sourceId: string; byKind: Record<string, number> }[];
    expect(sources.find((s) => s.sourceId === PLATFORM_SOURCE_ID)?.byKind['partial-answer']).toBeGreaterThanOrEqual(2);
    const samples = await admin.call('adminQualitySamples', { sourceId: PLATFORM_SOURCE_ID, kind: 'partial-answer' });
    expect(samples.status).toBe(200);
    expect(JSON.stringify(samples.body)).toContain('answer.platform-warning[RESULT-TRUNCATED]');
    const listed = await admin.call('listSources');
    expect(platformOf(listed.body['sources'])?.warnings).toContainEqual(
      expect.objectContaining({ code: 'platform-warning', detailCode: 'RESULT-TRUNCATED' }),
    );
    const seen = JSON.stringify([overview.body, samples.body, listed.body]);
    for (const phi of [WARNING_TEXT, DEMO_PATIENT.residentId, DEMO_PATIENT.nameHanzi, DEMO_PATIENT.mrn]) expect(seen).not.toContain(phi);
    await admin.call('signOut');
  }, 120_000);
});
