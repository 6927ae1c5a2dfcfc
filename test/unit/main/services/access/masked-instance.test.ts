import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYDICOM_TEST_FILES } from '../../../../../src/demo-hospital/pacs/seed-plan.ts';
import { MASKED_HEADER, maskInstanceAnswer } from '../../../../../src/main/services/access/masked-instance.ts';
import { createPrivacyMasking } from '../../../../../src/main/services/privacy/index.ts';
import { DICOMWEB_ERROR_HEADER } from '../../../../../src/shared/api/dicomweb-errors.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../../../src/shared/config/privacy.ts';

/**
 * The WADO-RS instance answer as the proxy gives it (multipart/related, one application/dicom
 * part per instance), masked for a masked session: real pydicom test files (Debian
 * python3-pydicom, MIT) as the parts; a part that cannot be masked refuses the whole answer
 * with a code the viewer words, never a partly masked body.
 */
const masking = createPrivacyMasking(DEFAULT_PRIVACY_CONFIG);
const BOUNDARY = 'pacs-boundary-1';
const file = (name: string) => readFileSync(path.join(PYDICOM_TEST_FILES, name));

function answer(
  parts: { type: string; body: Uint8Array }[],
  contentType = `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`,
) {
  const body = Buffer.concat([
    ...parts.flatMap((p) => [Buffer.from(`--${BOUNDARY}\r\nContent-Type: ${p.type}\r\n\r\n`), p.body, Buffer.from('\r\n')]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
  return new Response(body, {
    status: 200,
    headers: { 'content-type': contentType, 'content-length': String(body.byteLength), etag: '"x"' },
  });
}

describe('maskInstanceAnswer', () => {
  it('masks every part in place: same length, name gone, the framing as it was, marked and never stored', async () => {
    const ct = file('CT_small.dcm');
    const big = file('MR_small_bigendian.dcm');
    const original = answer([
      { type: 'application/dicom', body: ct },
      { type: 'application/dicom', body: big },
    ]);
    const length = original.headers.get('content-length');
    const out = await maskInstanceAnswer(original, 'full', masking);
    expect(out.ok).toBe(true);
    expect(out.response.headers.get(MASKED_HEADER)).toBe('full');
    expect(out.response.headers.get('cache-control')).toBe('no-store');
    expect(out.response.headers.get('etag')).toBeNull();
    expect(out.response.headers.get('content-length')).toBe(length);
    const body = Buffer.from(await out.response.arrayBuffer());
    expect(String(body.byteLength)).toBe(length);
    expect(body.includes('CompressedSamples^CT1')).toBe(false);
    expect(body.includes(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`)).toBe(true);
    // Pixel data (the last bytes of each file) untouched.
    expect(body.includes(ct.subarray(ct.byteLength - 4096))).toBe(true);
    expect(body.includes(big.subarray(big.byteLength - 4096))).toBe(true);
  });

  it.each([
    ['a deflated instance', [{ type: 'application/dicom', body: file('image_dfl.dcm') }], undefined, /deflated/],
    ['a truncated instance', [{ type: 'application/dicom', body: file('MR_truncated.dcm') }], undefined, /unparsable/],
    [
      'one good and one bad part',
      [
        { type: 'application/dicom', body: file('CT_small.dcm') },
        { type: 'application/dicom', body: file('no_meta.dcm') },
      ],
      undefined,
      /part 2: not-part10/,
    ],
    ['a part that is not DICOM', [{ type: 'text/html', body: Buffer.from('<p>') }], undefined, /text\/html/],
    ['a body that is not multipart', [{ type: 'application/dicom', body: file('CT_small.dcm') }], 'application/dicom', /not multipart/],
  ])('%s: refused as a whole (422, instance-unmaskable), nothing of it sent', async (_what, parts, type, reason) => {
    const out = await maskInstanceAnswer(answer(parts, type), 'national-id', masking);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.reason).toMatch(reason);
    expect(out.response.status).toBe(422);
    expect(out.response.headers.get(DICOMWEB_ERROR_HEADER)).toBe('instance-unmaskable');
    expect(out.response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await out.response.arrayBuffer()).byteLength).toBeLessThan(1000);
  });
});
