/**
 * A baseline JPEG whose DICOM Photometric Interpretation is RGB holds RGB samples (PS3.5 8.2.1),
 * but without a JFIF or Adobe marker JPEG decoders assume YCbCr for three components and
 * convert, drawing the picture in false colour (pydicom's SC_jpeg_no_color_transform.dcm shows
 * magenta). An Adobe APP14 marker saying "no transform" makes the decoder keep the samples.
 */

const ADOBE_NO_TRANSFORM = Uint8Array.of(
  0xff,
  0xee,
  0x00,
  0x0e, // APP14, length 14
  0x41,
  0x64,
  0x6f,
  0x62,
  0x65, // "Adobe"
  0x00,
  0x64, // version 100
  0x00,
  0x00,
  0x00,
  0x00, // flags
  0x00, // transform 0: none
);

/** Whether the header, before the first frame or scan, carries JFIF (APP0) or Adobe (APP14). */
function hasColourMarker(jpeg: Uint8Array): boolean {
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    // SOFn or SOS: the header is over.
    if ((marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xda) return false;
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    const id = String.fromCharCode(...jpeg.subarray(at + 4, at + 9));
    if ((marker === 0xe0 && id.startsWith('JFIF')) || (marker === 0xee && id === 'Adobe')) return true;
    at += 2 + length;
  }
  return false;
}

/** The JPEG with an Adobe "no transform" marker after SOI, unless it already says how its colour is coded. */
export function keepRgbSamples(jpeg: Uint8Array): Uint8Array {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8 || hasColourMarker(jpeg)) return jpeg;
  const out = new Uint8Array(jpeg.length + ADOBE_NO_TRANSFORM.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(ADOBE_NO_TRANSFORM, 2);
  out.set(jpeg.subarray(2), 2 + ADOBE_NO_TRANSFORM.length);
  return out;
}
