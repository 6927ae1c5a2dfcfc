import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import type { BenchSuite, Figure } from '../measure.ts';
import {
  buildPixelPage,
  DRAWN_CORRELATION,
  PASS_CORRELATION,
  startPixelHarness,
  type PixelHarness,
  type PixelResult,
} from '../../test/support/pixel-correctness.ts';

const RESULTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'pixel-correctness.json');

const PAGE_LIMIT_MS = 90_000;

/**
 * One file in a page of its own, closed after at most PAGE_LIMIT_MS: a file that makes the page
 * stop answering (rtdose_expb.dcm grew a renderer to 4 GB before value-range.ts refused such
 * ranges) fails alone instead of the run.
 */
async function measureGuarded(browser: Browser, harness: PixelHarness, file: string): Promise<PixelResult> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'limit'>((resolve) => (timer = setTimeout(() => resolve('limit'), PAGE_LIMIT_MS)));
  try {
    const result = await Promise.race([harness.measure(page, file), limit]);
    if (result !== 'limit') return result;
    const name = harness.describe(file);
    return { ...name, pass: false, reason: `harness: the page stopped answering within ${PAGE_LIMIT_MS / 1000} s` };
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
  }
}

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
      for (const file of harness.files) {
        const result = await measureGuarded(browser, harness, file);
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
    // What Orthanc can serve: stored, and its frames answered (not refused at upload, not a PACS error in the viewer).
    const served = results.filter(
      (r) => !r.reason.startsWith('Orthanc refused') && !r.reason.startsWith('DCMTK') && !r.reason.startsWith('viewer: pacs-'),
    );
    const servedPassed = served.filter((r) => r.pass).length;
    const figures: Figure[] = [
      {
        name: `files rendered with correlation ≥ ${PASS_CORRELATION} (decoded values; drawn canvas ≥ ${DRAWN_CORRELATION}): ${passed} of ${results.length} with pixel data and a reference decode`,
        value: passed / Math.max(1, results.length),
        unit: 'share',
        lowerIsBetter: false,
      },
      {
        name: `  of the ${served.length} files Orthanc stores and serves: ${servedPassed} render right`,
        value: servedPassed / Math.max(1, served.length),
        unit: 'share',
        lowerIsBetter: false,
        goal: 'every file whose syntax Orthanc can serve (1.0)',
      },
    ];
    return figures;
  },
};
