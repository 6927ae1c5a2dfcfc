/**
 * Shared setup for the DICOMweb tests: makes sure Orthanc is installed (installing it with
 * scripts/ensure-pacs.sh when root), and starts the demo PACS with small images.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DicomwebSourceConfigSchema, type DicomwebSourceConfig } from '../../src/shared/config/sources/dicomweb.ts';
import { orthancMissing } from '../../src/demo-hospital/pacs/orthanc-process.ts';
import { isDemoPacsUnavailable, startDemoPacs, type DemoPacs, type DemoPacsOptions } from '../../src/demo-hospital/pacs/start-demo-pacs.ts';
import { generateSyntheticHospital, type SyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';

const ENSURE_PACS = fileURLToPath(new URL('../../scripts/ensure-pacs.sh', import.meta.url));

/** Installs Orthanc & co. when root; otherwise fails with what to install. Never skips. */
export function ensureOrthancInstalled(): void {
  if (!orthancMissing()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`DICOMweb tests need Orthanc: ${orthancMissing()}. Run 'sudo bash scripts/ensure-pacs.sh' once.`);
  }
  execFileSync('bash', [ENSURE_PACS], { stdio: 'inherit' });
  const still = orthancMissing();
  if (still) throw new Error(`scripts/ensure-pacs.sh ran but ${still}`);
}

export interface TestPacs {
  pacs: DemoPacs;
  data: SyntheticHospital;
  config: DicomwebSourceConfig;
}

export async function startTestPacs(options: DemoPacsOptions = {}): Promise<TestPacs> {
  ensureOrthancInstalled();
  const data = generateSyntheticHospital();
  const pacs = await startDemoPacs(data, { profile: 'small', onSeedFailure: () => {}, ...options });
  if (isDemoPacsUnavailable(pacs)) throw new Error(pacs.unavailable);
  const config = DicomwebSourceConfigSchema.parse({ ...pacs.sourceConfig, resilience: { timeoutMs: 10_000, retries: 0, slowMs: 2_000 } });
  return { pacs, data, config };
}
