import { describe, expect, it } from 'vitest';
import {
  FrameFetchAnswerSchema,
  FrameFetchRequestSchema,
  isSinglePartFrame,
} from '../../../../../src/renderer/features/imaging/frame-fetch-messages.ts';

describe('frame-fetch messages', () => {
  it('takes only a single-part 200 off the page; multipart and failures stay with the loader', () => {
    expect(isSinglePartFrame(200, 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1')).toBe(true);
    expect(isSinglePartFrame(200, 'Application/Octet-Stream')).toBe(true);
    expect(isSinglePartFrame(200, 'multipart/related; type="application/octet-stream"; boundary=x')).toBe(false);
    expect(isSinglePartFrame(502, 'application/octet-stream')).toBe(false);
    expect(isSinglePartFrame(206, 'application/octet-stream')).toBe(false);
  });

  it('validates both directions, the body as a real ArrayBuffer', () => {
    expect(FrameFetchRequestSchema.safeParse({ id: 1, url: '/dicom-web/x/frames/1', accept: '*/*' }).success).toBe(true);
    expect(FrameFetchRequestSchema.safeParse({ id: '1', url: '/x' }).success).toBe(false);
    expect(
      FrameFetchAnswerSchema.safeParse({ id: 2, ok: true, contentType: 'application/octet-stream', body: new ArrayBuffer(4) }).success,
    ).toBe(true);
    expect(
      FrameFetchAnswerSchema.safeParse({ id: 2, ok: true, contentType: 'application/octet-stream', body: new Uint8Array(4) }).success,
    ).toBe(false);
    expect(FrameFetchAnswerSchema.safeParse({ id: 3, ok: false, status: 0 }).success).toBe(true);
  });
});
