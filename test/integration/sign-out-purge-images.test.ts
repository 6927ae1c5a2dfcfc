import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import { createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';

/**
 * A shared ward workstation purges every cached patient at sign-out. The image proxy answers the
 * viewer first and seals its copy of each frame behind the answer: a copy still waiting at
 * sign-out must be written before the purge (and so purged), never after it.
 */
let hospital: DemoHospital;
let home: string;
const protector = () => createPassphraseKeyProtector('sign-out purge test passphrase', { log2Cost: 12 });

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: 'small' });
  if (hospital.notices.length > 0) throw new Error(hospital.notices.join('; '));
  home = mkdtempSync(join(tmpdir(), 'huizhen-purge-images-'));
}, 180_000);
afterAll(async () => {
  await hospital?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function expectEmptyCache(directory: string): Promise<void> {
  const reopened = await openCacheStore({ directory, protector: protector() });
  try {
    expect(reopened.stats()).toMatchObject({ patients: 0, blobs: 0 });
  } finally {
    reopened.close();
  }
}

it('frames fetched just before sign-out are gone from the cache after the purge on sign-out', async () => {
  const directory = join(home, 'cache');
  const config = parseConfig({ ...hospital.config, cache: { enabled: true, directory, purgeOnLogout: true } });
  const lines: string[] = [];
  const composed = await composeWorkstation(config, { protector, log: (line) => lines.push(line) });
  const { api, workstation } = composed;
  const dicomweb = composed.dicomweb!;
  const pacsId = config.sources.find((s) => s.kind === 'dicomweb')!.id;
  const get = async (path: string, accept: string) => {
    const response = await dicomweb(new Request(`http://127.0.0.1/dicom-web/${pacsId}/${path}`, { headers: { accept } }));
    expect(response.status, path).toBe(200);
    return response;
  };
  try {
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
    const opened = await api.handlers.openPatient({ refs: candidates[0]!.refs });
    const studyUid = opened.entries.find((e) => e.kind === 'imaging' && e.resource.id)!.resource.id!;
    const json = 'application/dicom+json';
    const series = (await (await get(`studies/${studyUid}/series`, json)).json()) as { '0020000E': { Value: string[] } }[];
    const seriesUid = series[0]!['0020000E'].Value[0]!;
    const instances = (await (await get(`studies/${studyUid}/series/${seriesUid}/instances`, json)).json()) as {
      '00080018': { Value: string[] };
    }[];
    // Several frames answered cold, their sealed copies still waiting behind the answers…
    await Promise.all(
      instances.slice(0, 4).map(async (instance) => {
        const frame = await get(
          `studies/${studyUid}/series/${seriesUid}/instances/${instance['00080018'].Value[0]!}/frames/1`,
          'multipart/related; type="application/octet-stream"; transfer-syntax=*',
        );
        expect((await frame.arrayBuffer()).byteLength).toBeGreaterThan(0);
      }),
    );
    // …when the doctor signs out at once.
    await api.handlers.signOut({});
    await expect.poll(() => lines.some((l) => /purged on sign-out/.test(l)), { timeout: 60_000 }).toBe(true);
  } finally {
    await workstation.close();
  }
  await expectEmptyCache(directory);
}, 180_000);

it('a whole-series read-ahead still running or waiting to be written at sign-out is purged too', async () => {
  const directory = join(home, 'cache-read-ahead');
  const config = parseConfig({ ...hospital.config, cache: { enabled: true, directory, purgeOnLogout: true } });
  const lines: string[] = [];
  const composed = await composeWorkstation(config, { protector, log: (line) => lines.push(line) });
  const { api, workstation } = composed;
  const dicomweb = composed.dicomweb!;
  const pacsId = config.sources.find((s) => s.kind === 'dicomweb')!.id;
  const get = async (path: string, accept: string) => {
    const response = await dicomweb(new Request(`http://127.0.0.1/dicom-web/${pacsId}/${path}`, { headers: { accept } }));
    expect(response.status, path).toBe(200);
    return response;
  };
  try {
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
    const opened = await api.handlers.openPatient({ refs: candidates[0]!.refs });
    const studyUid = opened.entries.find((e) => e.kind === 'imaging' && e.resource.id)!.resource.id!;
    const json = 'application/dicom+json';
    const series = (await (await get(`studies/${studyUid}/series`, json)).json()) as { '0020000E': { Value: string[] } }[];
    const seriesUid = series[0]!['0020000E'].Value[0]!;
    // The viewer's first request for a series starts its whole retrieve…
    const metadata = (await (await get(`studies/${studyUid}/series/${seriesUid}/metadata`, json)).json()) as {
      '00080018': { Value: string[] };
    }[];
    // …and its first frame, asked as the viewer asks, comes from it.
    const frame = await get(
      `studies/${studyUid}/series/${seriesUid}/instances/${metadata[0]!['00080018'].Value[0]!}/frames/1`,
      'application/octet-stream; transfer-syntax=*, multipart/related; type="application/octet-stream"; transfer-syntax=*',
    );
    expect((await frame.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // Signed out at once: the retrieve may still be running, its frames still waiting to be written.
    await api.handlers.signOut({});
    await expect.poll(() => lines.some((l) => /purged on sign-out/.test(l)), { timeout: 60_000 }).toBe(true);
    expect(lines.filter((l) => /read-ahead/.test(l))).toEqual([]);
  } finally {
    await workstation.close();
  }
  await expectEmptyCache(directory);
}, 180_000);
