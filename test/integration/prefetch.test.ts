import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';

let hospital: DemoHospital;
let composed: ComposedWorkstation | undefined;
const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-prefetch-'));

async function compose(timeoutMs: number): Promise<ComposedWorkstation> {
  const config = parseConfig({
    ...hospital.config,
    sources: hospital.config.sources.map((s) => ({ ...s, resilience: { timeoutMs, retries: 0 } })),
    cache: { directory: cacheDir },
    prefetch: { patients: [DEMO_PATIENT.mrn, 'NO-SUCH-PATIENT-42'], studiesPerPatient: 1, intervalMinutes: 0 },
  });
  return composeWorkstation(config, { protector: () => createPassphraseKeyProtector('prefetch test passphrase', { log2Cost: 12 }) });
}

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: 'small' });
  if (hospital.notices.length > 0) throw new Error(hospital.notices.join('; '));
}, 180_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital.stop();
});

describe('prefetch of the ward list', () => {
  it('caches the listed patients and their most recent study, skipping queries that match no single patient', async () => {
    composed = await compose(10_000);
    const report = await composed.prefetchNow();
    expect(report?.patients).toEqual([
      expect.objectContaining({ query: DEMO_PATIENT.mrn, outcome: 'cached', entries: expect.any(Number), images: expect.any(Number) }),
      { query: 'NO-SUCH-PATIENT-42', outcome: 'not-found' },
    ]);
    expect(report!.patients[0]!.images).toBeGreaterThan(0);
    await composed.workstation.close();
    composed = undefined;
  }, 120_000);

  it('with every system down, a prefetched patient nobody opened reads from the cache, images included', async () => {
    await hospital.pacs!.stop();
    for (const f of [hospital.fhir.faults, hospital.his.faults, hospital.lis.faults, hospital.platform.faults]) f.set({ hang: true });
    composed = await compose(400);
    // As the viewer would: signed in, through the access layer, so the DICOMweb route serves the study.
    await composed.api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { candidates } = await composed.api.handlers.searchPatients({ query: DEMO_PATIENT.mrn });
    expect(candidates.length).toBeGreaterThan(0);
    const opened = await composed.api.handlers.openPatient({ refs: candidates[0]!.refs });
    // The CDR and the PACS parts were prefetched; nothing can have answered live.
    const state = (id: string) => opened.sources.find((s) => s.sourceId === id)?.state;
    expect(state('cdr')).toBe('cached');
    expect(state('pacs')).toBe('cached');
    for (const s of opened.sources) expect(['cached', 'failed']).toContain(s.state);
    expect(opened.entries.length).toBeGreaterThan(20);
    const study = opened.entries
      .filter((e) => e.resource.resourceType === 'ImagingStudy')
      .sort((a, b) => (b.clinicalTime ?? '').localeCompare(a.clinicalTime ?? ''))[0]!;
    const response = await composed.dicomweb!(
      new Request(`http://huizhen.invalid/dicom-web/pacs/studies/${study.resource.id}/series`, {
        headers: { accept: 'application/dicom+json' },
      }),
    );
    expect(response.status).toBe(200);
    const series = (await response.json()) as Record<string, { Value?: unknown[] }>[];
    expect(series.length).toBeGreaterThan(0);
    // Every frame the viewer asks, the way it asks it (features/imaging/cornerstone-setup.ts): the
    // prefetch's frame requests filled the entries the viewer reads, with the PACS gone.
    const viewerAccept =
      'application/octet-stream; transfer-syntax=*, multipart/related; type="application/octet-stream"; transfer-syntax=*';
    let frames = 0;
    for (const s of series) {
      const seriesPath = `http://huizhen.invalid/dicom-web/pacs/studies/${study.resource.id}/series/${String(s['0020000E']?.Value?.[0])}`;
      const metadata = await composed.dicomweb!(new Request(`${seriesPath}/metadata`, { headers: { accept: 'application/dicom+json' } }));
      expect(metadata.status).toBe(200);
      for (const instance of (await metadata.json()) as Record<string, { Value?: unknown[] }>[]) {
        const frame = await composed.dicomweb!(
          new Request(`${seriesPath}/instances/${String(instance['00080018']?.Value?.[0])}/frames/1`, {
            headers: { accept: viewerAccept },
          }),
        );
        await frame.arrayBuffer();
        expect(frame.status).toBe(200);
        expect(frame.headers.get('x-huizhen-cache')).toBe('hit');
        frames++;
      }
    }
    expect(frames).toBeGreaterThan(0);
  }, 120_000);
});
