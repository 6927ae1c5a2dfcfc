import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import type { BenchSuite, Figure } from '../measure.ts';
import { buildPixelPage, DRAWN_CORRELATION, PASS_CORRELATION, startPixelHarness, type PixelResult } from '../../test/support/pixel-correctness.ts';

const RESULTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'pixel-correctness.json');

const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(4));

/**
 * Issue 18's pixel-correctness figure: every public test file with pixel data (pydicom's, from
 * Debian) through a real Orthanc, the app's DICOMweb proxy and the viewer in Chromium, its
 * decoded and drawn pixels correlated with pydicom's or DCMTK's decode. The baseline is the
 * same count restricted to files whose syntax Orthanc serves (the issue's goal: all of them).
 */
export const pixelCorrectness: BenchSuite = {
  name: 'pixel correctness: public DICOM test files through Orthanc, the DICOMweb proxy and the viewer (correlation with pydicom/DCMTK)',
  async run() {
    await buildPixelPage();
    const harness = await startPixelHarness();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const results: PixelResult[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
      for (const file of harness.files) {
        const result = await harness.measure(page, file);
        results.push(result);
        console.log(
          `  ${result.pass ? 'ok  ' : 'FAIL'} ${file.padEnd(42)} ${result.syntax.padEnd(34)} ${result.photometric.padEnd(13)} decoded ${fmt(result.decoded)} drawn ${fmt(result.drawn)} ${result.reason}`,
        );
      }
    } finally {
      await browser.close();
      await harness.close();
    }
    writeFileSync(RESULTS, `${JSON.stringify({ at: new Date().toISOString(), load: loadavg(), results }, null, 2)}\n`);
    const passed = results.filter((r) => r.pass).length;
    const served = results.filter((r) => !r.reason.startsWith('Orthanc refused') && !r.reason.startsWith('dcmodify'));
    const figures: Figure[] = [
      {
        name: `files rendered with correlation ≥ ${PASS_CORRELATION} (decoded values; drawn canvas ≥ ${DRAWN_CORRELATION}), of ${results.length} with pixel data and a reference decode`,
        value: passed / Math.max(1, results.length),
        unit: 'share',
        lowerIsBetter: false,
        baseline: { name: `${served.length} files Orthanc accepted`, value: served.length / Math.max(1, results.length) },
        goal: 'every file whose syntax Orthanc can serve',
      },
    ];
    return figures;
  },
};
