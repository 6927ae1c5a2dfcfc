import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFromConfig } from '../../src/adapters/dicomweb/dicomweb-transport.ts';
import { searchSeries, searchStudies } from '../../src/adapters/dicomweb/qido.ts';
import { TAG, integer, text } from '../../src/adapters/dicomweb/dicom-json.ts';
import { plannedInstanceCount, PYDICOM_TEST_FILES } from '../../src/demo-hospital/pacs/seed-plan.ts';
import type { SeedFailure } from '../../src/demo-hospital/pacs/generate-files.ts';
import { startTestPacs, type TestPacs } from '../support/pacs-orthanc.ts';

const TRUNCATED = path.join(PYDICOM_TEST_FILES, 'MR_truncated.dcm');
const NOT_DICOM = path.join(PYDICOM_TEST_FILES, 'README.txt');

describe('seeding the demo PACS from broken input', () => {
  let setup: TestPacs;
  let cacheRoot: string;
  const warned: SeedFailure[] = [];

  beforeAll(async () => {
    // A private cache: the broken plan must be generated here, not served from an earlier run.
    cacheRoot = await mkdtemp(path.join(tmpdir(), 'huizhen-pacs-cache-'));
    setup = await startTestPacs({ cacheRoot, extraSamples: [TRUNCATED, NOT_DICOM], onSeedFailure: (f) => warned.push(f) });
  });
  afterAll(async () => {
    await setup?.pacs.stop();
    await rm(cacheRoot, { recursive: true, force: true });
  });

  it('names each broken file and why, and stores every other instance', async () => {
    expect(setup.pacs.seedFailures.map((f) => path.basename(f.file))).toEqual(['MR_truncated.dcm', 'README.txt']);
    expect(setup.pacs.seedFailures[0]!.reason).toMatch(/pixel data is truncated \(8130 of 8192 bytes\)/);
    expect(setup.pacs.seedFailures[1]!.reason).toMatch(/not readable DICOM/);
    expect(warned).toEqual(setup.pacs.seedFailures);

    const expected = plannedInstanceCount(setup.pacs.plan) - 2;
    expect(setup.pacs.figures.storedInstances).toBe(expected);
    const endpoint = endpointFromConfig(setup.config);
    const studies = await searchStudies(endpoint, [], AbortSignal.timeout(20_000));
    expect(studies).toHaveLength(setup.pacs.plan.studies.length);
    const stored = studies.reduce((n, s) => n + (integer(s, TAG.NumberOfStudyRelatedInstances) ?? 0), 0);
    expect(stored).toBe(expected);

    // The broken samples' series are absent; their study's other series are all there.
    const current = setup.pacs.plan.studies.find((s) => s.series.some((se) => se.kind === 'sample' && se.file === TRUNCATED))!;
    const series = await searchSeries(endpoint, current.studyUid, AbortSignal.timeout(20_000));
    expect(series.map((s) => text(s, TAG.SeriesInstanceUID)).sort()).toEqual(
      current.series
        .filter((s) => s.kind !== 'sample' || (s.file !== TRUNCATED && s.file !== NOT_DICOM))
        .map((s) => s.uid)
        .sort(),
    );
  });

  it('uses the cache on the next start: nothing is drawn or stored again, and the same instances are served', async () => {
    const again = await startTestPacs({ cacheRoot, extraSamples: [TRUNCATED, NOT_DICOM] });
    try {
      expect(again.pacs.figures.generated).toBe(false);
      expect(again.pacs.figures.storedInstances).toBe(setup.pacs.figures.storedInstances);
      expect(again.pacs.seedFailures.map((f) => path.basename(f.file))).toEqual(['MR_truncated.dcm', 'README.txt']);
      // Served from a copy of the store seeded by the first start (its folder kept beside the drawn files).
      expect((await readdir(cacheRoot)).some((name) => name.endsWith('-orthanc'))).toBe(true);
      const studies = await searchStudies(endpointFromConfig(again.config), [], AbortSignal.timeout(20_000));
      expect(studies.reduce((n, s) => n + (integer(s, TAG.NumberOfStudyRelatedInstances) ?? 0), 0)).toBe(
        setup.pacs.figures.storedInstances,
      );
    } finally {
      await again.pacs.stop();
    }
  });
});
