/**
 * The demo hospital's PACS: Orthanc + DICOMweb on loopback, seeded with the synthetic patients'
 * studies. Without Orthanc (or without Python to draw the series the first time) it reports
 * one line of why instead, and the demo hospital runs without a PACS.
 */
import type { DicomwebSourceConfigInput } from '../../shared/config/sources/dicomweb.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { rm } from 'node:fs/promises';
import { generateSeriesFiles, seriesAreCached, type GeneratedSeries, type SeedFailure } from './generate-files.ts';
import { orthancMissing, startOrthanc, type OrthancCredentials, type OrthancProcess } from './orthanc-process.ts';
import { DEMO_PACS_ISSUER, buildSeedPlan, plannedInstanceCount, type SeedPlan, type SeedPlanOptions } from './seed-plan.ts';
import { cloneSeededStorage, readSeededStorage, seedStorage, type SeededStorage } from './seeded-storage.ts';

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

/**
 * Orthanc on a copy of the store seeded from these files: seeded once (the slow part), then
 * reused. A kept store this Orthanc cannot open (e.g. after an upgrade) is seeded afresh.
 */
async function startSeededOrthanc(
  series: GeneratedSeries,
  progress: (line: string) => void,
): Promise<{ orthanc: OrthancProcess; seeded: SeededStorage }> {
  const start = async (seeded: SeededStorage) => ({
    orthanc: await startOrthanc({ prepare: (folder) => cloneSeededStorage(seeded, folder) }),
    seeded,
  });
  const seed = () => {
    progress(`storing ${series.files.length} DICOM instances in the demo PACS (Orthanc; once, then kept under .cache/demo-pacs)…`);
    return seedStorage(series.folder, series.files);
  };
  const kept = await readSeededStorage(series.folder);
  if (!kept) return start(await seed());
  try {
    return await start(kept);
  } catch {
    await rm(kept.folder, { recursive: true, force: true });
    return start(await seed());
  }
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

  let started;
  const uploadStarted = performance.now();
  try {
    started = await startSeededOrthanc(series, progress);
  } catch (error) {
    return { unavailable: `demo hospital: no PACS: ${(error as Error).message}` };
  }
  const { orthanc, seeded } = started;
  try {
    const upload = {
      stored: seeded.stored,
      bytes: seeded.bytes,
      failures: seeded.failures,
      uploadMs: Math.round(performance.now() - uploadStarted),
    };
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
