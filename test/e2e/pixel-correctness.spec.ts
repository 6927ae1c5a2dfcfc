import { expect, test } from '@playwright/test';
import { buildPixelPage, DRAWN_CORRELATION, PASS_CORRELATION, startPixelHarness, type PixelHarness } from '../support/pixel-correctness.ts';
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
] as const;

test.describe.configure({ mode: 'serial' });

let harness: PixelHarness;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await buildPixelPage();
  harness = await startPixelHarness(FILES);
});

test.afterAll(async () => {
  await harness?.close();
});

for (const file of FILES) {
  test(`${file}: decoded pixels correlate ≥ ${PASS_CORRELATION} with the reference decode, the drawn canvas ≥ ${DRAWN_CORRELATION}`, async ({
    page,
  }) => {
    const result = await harness.measure(page, file);
    if (file === 'J2K_pixelrep_mismatch.dcm') await screenshot(page, 'pixel-correctness-j2k-pixelrep-mismatch');
    expect(result.reason).toBe('');
    expect(result.decoded).toBeGreaterThanOrEqual(PASS_CORRELATION);
    expect(result.drawn).toBeGreaterThanOrEqual(DRAWN_CORRELATION);
  });
}
