import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PYDICOM_TEST_FILES } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { DRAWN_CORRELATION, PASS_CORRELATION, startPixelHarness, type PixelHarness } from '../support/pixel-correctness.ts';
import { screenshot } from './support.ts';

/**
 * Pixel assertions for every transfer syntax the viewer renders today (issue 18): one public
 * test file per syntax (pydicom's, from Debian), plus the files the viewer used to show wrong or
 * not at all, each stored in a real Orthanc, opened through the app's DICOMweb proxy and the
 * viewer, its decoded pixels and its drawn canvas correlated with pydicom's or DCMTK's decode.
 * The full set is the benchmark (bench/suites/pixel-correctness.ts); this subset keeps the run
 * to a few minutes.
 */
const FILES = [
  'MR_small_implicit.dcm', // Implicit VR Little Endian
  'CT_small.dcm', // Explicit VR Little Endian
  'MR_small_bigendian.dcm', // Explicit VR Big Endian (Orthanc serves it as Explicit VR Little Endian)
  'image_dfl.dcm', // Deflated Explicit VR Little Endian (likewise)
  'SC_rgb_dcmtk_+eb+cy+n1.dcm', // JPEG Baseline, YBR_FULL
  'SC_rgb_jpeg_app14_dcmd.dcm', // JPEG Baseline RGB with Adobe APP14 "no transform", no Modality
  'SC_jpeg_no_color_transform.dcm', // JPEG Baseline RGB without JFIF or Adobe marker (was false colour)
  'JPGExtended.dcm', // JPEG Extended 12-bit
  'SC_rgb_jpeg_gdcm.dcm', // JPEG Lossless SV1, RGB
  'MR_small_jpeg_ls_lossless.dcm', // JPEG-LS Lossless
  '693_J2KI.dcm', // JPEG 2000
  'J2K_pixelrep_mismatch.dcm', // JPEG 2000 Lossless, codestream unsigned while Pixel Representation is signed
  'SC_rgb_rle_16bit.dcm', // RLE Lossless, 16-bit RGB
  'rtdose_rle_1frame.dcm', // RLE Lossless, 32-bit
  'rtdose_expb.dcm', // Explicit VR Big Endian, 32-bit, 15 frames (Orthanc's conversion swaps the 16-bit halves)
  'rtdose_expb_1frame.dcm', // likewise, one frame
  'liver_1frame.dcm', // 1-bit segmentation
  'liver_expb_1frame.dcm', // 1-bit segmentation, Explicit VR Big Endian
  'SC_ybr_full_422_uncompressed.dcm', // YBR_FULL_422 uncompressed: Orthanc refuses its frames; cut from the stored instance
  'badVR.dcm', // Number of Frames "1A": likewise
] as const;

/**
 * rtdose_expb_1frame.dcm as DCMTK converts it to Little Endian (`dcmconv +te`): every value's
 * 16-bit halves swapped, 6.3 × 10⁷ to 4.3 × 10⁹. Stored so, nothing can repair it: the viewer must say it
 * cannot draw that range rather than build a lookup table over it (which hung the page).
 */
const SWAPPED = 'rtdose_expb_1frame_dcmconv_te.dcm';
let madeDir = '';

test.describe.configure({ mode: 'serial' });

let harness: PixelHarness;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  // The pixel page is built once per run, by global-setup.
  madeDir = mkdtempSync(path.join(tmpdir(), 'huizhen-pixels-made-'));
  const swapped = path.join(madeDir, SWAPPED);
  execFileSync('dcmconv', ['+te', path.join(PYDICOM_TEST_FILES, 'rtdose_expb_1frame.dcm'), swapped]);
  harness = await startPixelHarness([...FILES, SWAPPED], { [SWAPPED]: swapped });
});

test.afterAll(async () => {
  await harness?.close();
  if (madeDir) rmSync(madeDir, { recursive: true, force: true });
});

test('a 32-bit image whose values span ~2³² levels is refused with its reason, and the page keeps answering', async ({ page }) => {
  const result = await harness.measure(page, SWAPPED);
  await screenshot(page, 'pixel-correctness-value-range-refused');
  // The viewer's failure as shown: its code, then the words (the harness page is in English).
  expect(result.reason).toMatch(/^viewer: value-range: .*too wide for the viewer to draw \(62914575 … 4292345870\)/);
  await expect(page.getByTestId('imaging-error')).toBeVisible();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
});

for (const file of FILES) {
  test(`${file}: decoded pixels correlate ≥ ${PASS_CORRELATION} with the reference decode, the drawn canvas ≥ ${DRAWN_CORRELATION}`, async ({
    page,
  }) => {
    const result = await harness.measure(page, file);
    if (file === 'J2K_pixelrep_mismatch.dcm') await screenshot(page, 'pixel-correctness-j2k-pixelrep-mismatch');
    if (file === 'liver_1frame.dcm') await screenshot(page, 'pixel-correctness-1-bit-segmentation');
    expect(result.reason).toBe('');
    expect(result.decoded).toBeGreaterThanOrEqual(PASS_CORRELATION);
    expect(result.drawn).toBeGreaterThanOrEqual(DRAWN_CORRELATION);
  });
}
