/**
 * The demo hospital's PACS: Orthanc + DICOMweb on loopback, seeded with the synthetic patients'
 * studies. Without Orthanc (or without Python to draw the series the first time) it reports
 * one line of why instead, and the demo hospital runs without a PACS.
 */
import type { DicomwebSourceConfigInput } from '../../shared/config/sources/dicomweb.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { generateSeriesFiles, seriesAreCached, type SeedFailure } from './generate-files.ts';
import { orthancMissing, startOrthanc, type OrthancCredentials } from './orthanc-process.ts';
import { DEMO_PACS_ISSUER, buildSeedPlan, plannedInstanceCount, type SeedPlan, type SeedPlanOptions } from './seed-plan.ts';
import { uploadInstances } from './upload-instances.ts';

export const DEMO_PACS_SOURCE_ID = 'pacs';
export const DEMO_PACS_SOURCE_NAME = 'PACS (DICOMweb)';

export interface DemoPacsOptions extends SeedPlanOptions {
  /** Where generated files are kept between starts (default <repo>/.cache/demo-pacs). */
  cacheRoot?: string;
  /** Told about each input file that could not be stored (default: one console.warn line each). */
  onSeedFailure?: (failure: SeedFailure) => void;
  /** Told before each step that can take seconds, so a first start is never silent. */
  onProgress?: (line: string) => void;
}

export interface DemoPacsFigures {
  /** True when the series were drawn in this start; false when they came from the cache. */
  generated: boolean;
  generateMs: number;
  orthancReadyMs: number;
  uploadMs: number;
  storedInstances: number;
  storedBytes: number;
}

export interface DemoPacs {
  dicomwebBaseUrl: string;
  /** The source entry for the demo hospital's configuration. */
  sourceConfig: DicomwebSourceConfigInput;
  pid: number;
  credentials: OrthancCredentials;
  plan: SeedPlan;
  /** Input files that were left out, each with why; everything else is stored. */
  seedFailures: SeedFailure[];
  figures: DemoPacsFigures;
  rssKb(): number | undefined;
  stop(): Promise<void>;
}

export type DemoPacsStart = DemoPacs | { unavailable: string };

export function isDemoPacsUnavailable(start: DemoPacsStart): start is { unavailable: string } {
  return 'unavailable' in start;
}

export function demoPacsSourceConfig(dicomwebBaseUrl: string, credentials: OrthancCredentials): DicomwebSourceConfigInput {
  return {
    id: DEMO_PACS_SOURCE_ID,
    name: DEMO_PACS_SOURCE_NAME,
    kind: 'dicomweb',
    baseUrl: dicomwebBaseUrl,
    issuerOfPatientId: DEMO_PACS_ISSUER,
    timezoneOffset: '+08:00',
    auth: { type: 'basic', username: credentials.username, password: credentials.password },
  };
}

export async function startDemoPacs(data: SyntheticHospital, options: DemoPacsOptions = {}): Promise<DemoPacsStart> {
  const missing = orthancMissing();
  if (missing) return { unavailable: `demo hospital: no PACS: ${missing}; as root, scripts/ensure-pacs.sh installs it` };

  const plan = buildSeedPlan(data, options);
  const progress = options.onProgress ?? (() => {});
  const cacheRoot = options.cacheRoot !== undefined ? { cacheRoot: options.cacheRoot } : {};
  let series;
  try {
    if (!(await seriesAreCached(plan, cacheRoot))) {
      progress(`drawing the demo PACS's images (${plannedInstanceCount(plan)} DICOM instances; once, then kept under .cache/demo-pacs)…`);
    }
    series = await generateSeriesFiles(plan, cacheRoot);
  } catch (error) {
    return { unavailable: `demo hospital: no PACS: ${(error as Error).message}` };
  }

  let orthanc;
  try {
    orthanc = await startOrthanc();
  } catch (error) {
    return { unavailable: `demo hospital: no PACS: ${(error as Error).message}` };
  }
  try {
    const authorization = `Basic ${Buffer.from(`${orthanc.credentials.username}:${orthanc.credentials.password}`).toString('base64')}`;
    progress(`storing ${series.files.length} DICOM instances in the demo PACS (Orthanc)…`);
    const upload = await uploadInstances(orthanc.httpUrl, authorization, series.files);
    const seedFailures = [...series.failures, ...upload.failures];
    const warn = options.onSeedFailure ?? ((f: SeedFailure) => console.warn(`demo PACS: left out ${f.file}: ${f.reason}`));
    seedFailures.forEach(warn);
    return {
      dicomwebBaseUrl: orthanc.dicomwebBaseUrl,
      sourceConfig: demoPacsSourceConfig(orthanc.dicomwebBaseUrl, orthanc.credentials),
      pid: orthanc.pid,
      credentials: orthanc.credentials,
      plan,
      seedFailures,
      figures: {
        generated: series.generated,
        generateMs: series.generateMs,
        orthancReadyMs: orthanc.readyMs,
        uploadMs: upload.uploadMs,
        storedInstances: upload.stored,
        storedBytes: upload.bytes,
      },
      rssKb: () => orthanc.rssKb(),
      stop: () => orthanc.stop(),
    };
  } catch (error) {
    await orthanc.stop();
    throw error;
  }
}
