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

/** A workstation purging on sign-out, the doctor signed in with 张伟 open, and the first series of his first study. */
async function doctorWithSeries(folder: string) {
  const directory = join(home, folder);
  const config = parseConfig({ ...hospital.config, cache: { enabled: true, directory, purgeOnLogout: true } });
  const lines: string[] = [];
  const { api, workstation, dicomweb } = await composeWorkstation(config, { protector, log: (line) => lines.push(line) });
  const pacsId = config.sources.find((s) => s.kind === 'dicomweb')!.id;
  const get = async (path: string, accept: string) => {
    const response = await dicomweb!(new Request(`http://127.0.0.1/dicom-web/${pacsId}/${path}`, { headers: { accept } }));
    expect(response.status, path).toBe(200);
    return response;
  };
  const signOut = async () => {
    await api.handlers.signOut({});
    await expect.poll(() => lines.some((l) => /purged on sign-out/.test(l)), { timeout: 60_000 }).toBe(true);
  };
  try {
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
    const opened = await api.handlers.openPatient({ refs: candidates[0]!.refs });
    const studyUid = opened.entries.find((e) => e.kind === 'imaging' && e.resource.id)!.resource.id!;
    const series = (await (await get(`studies/${studyUid}/series`, JSON_ACCEPT)).json()) as { '0020000E': { Value: string[] } }[];
    const seriesPath = `studies/${studyUid}/series/${series[0]!['0020000E'].Value[0]!}`;
    return { directory, lines, workstation, get, signOut, seriesPath };
  } catch (error) {
    await workstation.close();
    throw error;
  }
}

const JSON_ACCEPT = 'application/dicom+json';
type Instances = { '00080018': { Value: string[] } }[];

it('frames fetched just before sign-out are gone from the cache after the purge on sign-out', async () => {
  const { directory, workstation, get, signOut, seriesPath } = await doctorWithSeries('cache');
  try {
    const instances = (await (await get(`${seriesPath}/instances`, JSON_ACCEPT)).json()) as Instances;
    // Several frames answered cold, their sealed copies still waiting behind the answers…
    await Promise.all(
      instances.slice(0, 4).map(async (instance) => {
        const frame = await get(
          `${seriesPath}/instances/${instance['00080018'].Value[0]!}/frames/1`,
          'multipart/related; type="application/octet-stream"; transfer-syntax=*',
        );
        expect((await frame.arrayBuffer()).byteLength).toBeGreaterThan(0);
      }),
    );
    // …when the doctor signs out at once.
    await signOut();
  } finally {
    await workstation.close();
  }
  await expectEmptyCache(directory);
}, 180_000);

it('a whole-series read-ahead still running or waiting to be written at sign-out is purged too', async () => {
  const { directory, lines, workstation, get, signOut, seriesPath } = await doctorWithSeries('cache-read-ahead');
  try {
    const metadata = (await (await get(`${seriesPath}/metadata`, JSON_ACCEPT)).json()) as Instances;
    // The first frame, asked as the viewer asks, goes to the PACS alone and starts the series' whole retrieve behind it.
    const frame = await get(
      `${seriesPath}/instances/${metadata[0]!['00080018'].Value[0]!}/frames/1`,
      'application/octet-stream; transfer-syntax=*, multipart/related; type="application/octet-stream"; transfer-syntax=*',
    );
    expect((await frame.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // Signed out at once: the retrieve may still be running, its frames still waiting to be written.
    await signOut();
    expect(lines.filter((l) => /read-ahead/.test(l))).toEqual([]);
  } finally {
    await workstation.close();
  }
  await expectEmptyCache(directory);
}, 180_000);
