import { describe, expect, it } from 'vitest';
import { chooseAccept } from '../../../../../src/main/services/dicomweb-proxy/accept.ts';

const VIEWER = 'application/octet-stream; transfer-syntax=*, multipart/related; type="application/octet-stream"; transfer-syntax=*';
const AS_STORED = 'multipart/related; type=application/octet-stream; transfer-syntax=*';

describe('chooseAccept: which form a frame request shares', () => {
  it('one frame asked as stored shares the viewer’s single-part entry, whichever form the client reads', () => {
    const viewer = chooseAccept('frames', VIEWER, true);
    for (const accept of [AS_STORED, 'multipart/related; type="application/octet-stream"; transfer-syntax="*"', '*/*', null]) {
      const got = chooseAccept('frames', accept, true);
      expect(got, String(accept)).toMatchObject({ ok: true, singlePart: true, asMultipart: true });
      expect(got.ok && viewer.ok && got.cacheVariant === viewer.cacheVariant, String(accept)).toBe(true);
      expect(got.ok && viewer.ok && got.upstream === viewer.upstream, String(accept)).toBe(true);
    }
    expect(viewer).toMatchObject({ ok: true, singlePart: true, asMultipart: false });
  });

  it('keeps its own form where the single-part answer is not what was asked', () => {
    // A named syntax (Explicit VR LE is also the default when none is named), a rendered type, several frames.
    for (const accept of [
      'multipart/related; type=application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1',
      'multipart/related; type=application/octet-stream',
      'multipart/related; type="image/jp2"; transfer-syntax=*',
    ]) {
      expect(chooseAccept('frames', accept, true), accept).toMatchObject({ ok: true, singlePart: false, asMultipart: false });
    }
    expect(chooseAccept('frames', AS_STORED, false)).toMatchObject({ ok: true, singlePart: false, asMultipart: false });
    expect(chooseAccept('instance', '*/*', true)).toMatchObject({ ok: true, singlePart: false, asMultipart: false });
  });
});
