import type { ImagingStudy } from '@medplum/fhirtypes';
import { createDicomwebAdapter } from '../../src/adapters/dicomweb/dicomweb-adapter.ts';
import { TAG, text } from '../../src/adapters/dicomweb/dicom-json.ts';
import { endpointFromConfig, type DicomwebEndpoint } from '../../src/adapters/dicomweb/dicomweb-transport.ts';
import { retrieveInstanceFrames, retrieveSeriesMetadata, type SeriesRef } from '../../src/adapters/dicomweb/wado.ts';
import { DEMO_PACS_PATIENT_ID } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { isDemoPacsUnavailable, startDemoPacs } from '../../src/demo-hospital/pacs/start-demo-pacs.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DicomwebSourceConfigSchema } from '../../src/shared/config/sources/dicomweb.ts';
import { medianMs, type BenchSuite, type Figure } from '../measure.ts';

async function loadSeries(endpoint: DicomwebEndpoint, ref: SeriesRef, concurrent: boolean): Promise<number> {
  const signal = AbortSignal.timeout(300_000);
  const metadata = await retrieveSeriesMetadata(endpoint, ref, signal);
  const sops = metadata.map((m) => text(m, TAG.SOPInstanceUID)).filter((s): s is string => s !== undefined);
  const one = async (sop: string): Promise<number> => {
    const frames = await retrieveInstanceFrames(endpoint, { ...ref, sopInstanceUid: sop, frameNumbers: [1] }, signal);
    return frames.reduce((n, f) => n + f.data.byteLength, 0);
  };
  if (concurrent) return (await Promise.all(sops.map(one))).reduce((a, b) => a + b, 0);
  let bytes = 0;
  for (const sop of sops) bytes += await one(sop);
  return bytes;
}

/**
 * The demo PACS at full size (a 200-slice 512² CT for 张伟): what seeding costs, QIDO-RS → FHIR
 * ImagingStudy for one patient, and WADO-RS of the whole 200-slice series, all frames at once
 * against one frame after another (what a viewer that awaits each slice would do).
 */
export const dicomwebRecord: BenchSuite = {
  name: 'DICOMweb: demo PACS (Orthanc) — seeding, QIDO → ImagingStudy, WADO-RS of a 200-slice CT',
  async run() {
    const started = performance.now();
    const pacs = await startDemoPacs(generateSyntheticHospital(), { profile: 'full' });
    if (isDemoPacsUnavailable(pacs)) throw new Error(pacs.unavailable);
    const readyMs = performance.now() - started;
    try {
      const config = DicomwebSourceConfigSchema.parse({ ...pacs.sourceConfig, resilience: { timeoutMs: 300_000, retries: 0 } });
      const adapter = createDicomwebAdapter(config);
      const endpoint = endpointFromConfig(config);
      let studies: ImagingStudy[] = [];
      const qido = await medianMs(5, async () => {
        const record = await adapter.fetchRecord(DEMO_PACS_PATIENT_ID, { signal: AbortSignal.timeout(60_000) });
        studies = record.map((r) => r.resource).filter((r): r is ImagingStudy => r.resourceType === 'ImagingStudy');
      });
      const big = studies.flatMap((s) => (s.series ?? []).map((se) => ({ study: s, se }))).find(({ se }) => se.numberOfInstances === 200);
      if (!big) throw new Error('the demo PACS has no 200-slice series');
      const ref = { studyInstanceUid: big.study.id ?? '', seriesInstanceUid: big.se.uid };
      let bytes = 0;
      const concurrent = await medianMs(3, async () => {
        bytes = await loadSeries(endpoint, ref, true);
      });
      const sequential = await medianMs(1, () => loadSeries(endpoint, ref, false));
      const f = pacs.figures;
      const figures: Figure[] = [
        {
          name: `seed: ${f.generated ? 'generate' : 'reuse cached'} ${f.storedInstances} instances (generate-series.py)`,
          value: f.generateMs,
          unit: 'ms',
        },
        { name: `seed: upload ${(f.storedBytes / 1e6).toFixed(0)} MB by POST /instances`, value: f.uploadMs, unit: 'ms' },
        { name: 'seed: Orthanc spawn → first QIDO-RS answer', value: f.orthancReadyMs, unit: 'ms' },
        { name: 'seed: startDemoPacs total', value: readyMs, unit: 'ms' },
        { name: 'Orthanc resident memory after seeding + reads', value: (pacs.rssKb() ?? 0) / 1024, unit: 'MB' },
        { name: `QIDO-RS → ${studies.length} ImagingStudy for 张伟 (studies + series)`, value: qido, unit: 'ms' },
        {
          name: `WADO-RS 200-slice series, ${(bytes / 1e6).toFixed(0)} MB: all frames concurrently`,
          value: concurrent,
          unit: 'ms',
          baseline: { name: 'one frame at a time', value: sequential },
        },
      ];
      return figures;
    } finally {
      await pacs.stop();
    }
  },
};
