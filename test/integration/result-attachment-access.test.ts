import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { pushHisMessages } from '../../src/demo-hospital/his-mllp/his-orders.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { edResultMessage } from '../support/ed-result-message.ts';
import { freePort } from '../support/free-port.ts';

/**
 * The LIS's ED results (PDF, image, HTML) pushed over MLLP for 张伟, read through the real browser
 * host by tabs composing calls: a nurse reads the attachments with the results, and still no other
 * document however she asks (another view's id, a doctor's entry ids); the administrator nothing.
 */
let hospital: DemoHospital;
let composed: ComposedWorkstation;
let host: BrowserHost;
let home: string;

interface Entry {
  id: string;
  kind: string;
  title: string;
  resource: { resourceType: string };
}
interface Tab {
  call(method: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

async function signedIn(username: string): Promise<Tab> {
  const redeemed = await fetch(host.newLoginUrl(), { redirect: 'manual' });
  const cookie = redeemed.headers.get('set-cookie')?.split(';')[0] ?? '';
  const tab: Tab = {
    async call(method, body = {}) {
      const response = await fetch(`${host.origin}/api/${method}`, {
        method: 'POST',
        headers: { origin: host.origin, cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
  expect((await tab.call('signInLocal', { username, password: DEMO_PASSWORD })).status).toBe(200);
  return tab;
}

async function openZhang(tab: Tab): Promise<{ viewId: string; entries: Entry[] }> {
  const found = await tab.call('searchPatients', { query: DEMO_PATIENT.residentId });
  const candidates = found.body['candidates'] as { refs: unknown[] }[];
  expect(candidates).toHaveLength(1);
  const opened = await tab.call('openPatient', { refs: candidates[0]!.refs });
  expect(opened.status).toBe(200);
  return { viewId: opened.body['viewId'] as string, entries: opened.body['entries'] as Entry[] };
}

const ATTACHMENTS = ['形态学报告单', '形态学描述', '血涂片图像'];

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  home = mkdtempSync(join(tmpdir(), 'huizhen-ed-access-'));
  const port = await freePort();
  const config = parseConfig({
    ...hospital.config,
    cache: { enabled: true, directory: join(home, 'cache') },
    inboundHl7: { enabled: true, port, sourceId: 'his', patientIdAuthority: 'HIS' },
  });
  composed = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('ed access test passphrase', { log2Cost: 12 }),
  });
  host = await startBrowserHost({
    backend: composed.api,
    staticHandler: () => Promise.resolve(new Response('no renderer in this test', { status: 404 })),
  });
  expect(await pushHisMessages([edResultMessage(HIS_DEMO_MRN)], port)).toEqual(['CA']);
}, 120_000);
afterAll(async () => {
  await host?.close();
  await composed?.workstation.close();
  await hospital?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('HL7 v2 ED result attachments, over the real host', () => {
  it('a nurse reads the attachments with their results, and no other document by any composition of calls', async () => {
    const doctor = await signedIn('doctor');
    const byDoctor = await openZhang(doctor);
    const docs = byDoctor.entries.filter((e) => e.kind === 'document');
    for (const title of ATTACHMENTS) expect(docs.map((d) => d.title)).toContain(title);
    const other = docs.find((d) => !ATTACHMENTS.includes(d.title))!;
    expect(other).toBeDefined();
    await doctor.call('signOut');

    const nurse = await signedIn('nurse');
    const byNurse = await openZhang(nurse);
    const nurseDocs = byNurse.entries.filter((e) => e.kind === 'document');
    expect(nurseDocs.map((d) => d.title).sort()).toEqual([...ATTACHMENTS].sort());
    const pdf = nurseDocs.find((d) => d.title === '形态学报告单')!;
    expect((await nurse.call('recordView', { viewId: byNurse.viewId, entryId: pdf.id })).status).toBe(200);
    const read = await nurse.call('entryResources', { viewId: byNurse.viewId, entryIds: [pdf.id] });
    expect(read.status).toBe(200);
    const [resource] = read.body['resources'] as { content: { attachment: { contentType: string; data: string } }[] }[];
    expect(resource!.content[0]!.attachment.contentType).toBe('application/pdf');
    expect(Buffer.from(resource!.content[0]!.attachment.data, 'base64').toString('latin1')).toMatch(/^%PDF-1\.4/);

    // Devtools: the doctor's entry id of another document, in the nurse's own view; the doctor's view id.
    expect((await nurse.call('recordView', { viewId: byNurse.viewId, entryId: other.id })).status).toBeGreaterThanOrEqual(400);
    expect((await nurse.call('entryResources', { viewId: byNurse.viewId, entryIds: [pdf.id, other.id] })).status).toBeGreaterThanOrEqual(
      400,
    );
    expect((await nurse.call('entryResources', { viewId: byDoctor.viewId, entryIds: [pdf.id] })).status).toBeGreaterThanOrEqual(400);
    await nurse.call('signOut');

    const admin = await signedIn('admin');
    expect((await admin.call('openPatient', { refs: [{ sourceId: 'his', sourcePatientId: HIS_DEMO_MRN }] })).status).toBe(403);
    await admin.call('signOut');
  }, 120_000);
});
