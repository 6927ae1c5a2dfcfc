import { describe, expect, it } from 'vitest';
import { failureOf, failureOfAnswer } from '../../../../../src/renderer/features/imaging/imaging-failure.ts';
import { failureReason } from '../../../../../src/renderer/features/imaging/imaging-words.ts';
import { ImagingLoadError } from '../../../../../src/renderer/features/imaging/series-loader.ts';

/** What Cornerstone's loader rejects with when a frame request fails: the XMLHttpRequest. */
function xhr(status: number, headers: Record<string, string>) {
  return { status, response: new ArrayBuffer(0), getResponseHeader: (name: string) => headers[name.toLowerCase()] ?? null };
}

describe('imaging failures: the reason the proxy or the decoder gave, in the reader’s words', () => {
  it('a rejected frame request keeps the proxy’s code and the PACS’s status', () => {
    const failure = failureOf(xhr(502, { 'x-huizhen-error': 'pacs-failed', 'x-huizhen-pacs-status': '500' }));
    expect(failure).toEqual({ code: 'pacs-failed', status: 502, pacsStatus: 500 });
    expect(failureReason('zh-CN', failure)).toBe('PACS 出错（HTTP 500）');
    expect(failureReason('en', failure)).toBe('the PACS failed (HTTP 500)');
  });

  it('the loader’s errorInterceptor shape (an Error carrying the request) reads the same', () => {
    const error = Object.assign(new Error('request failed'), { request: xhr(504, { 'x-huizhen-error': 'pacs-timeout' }) });
    expect(failureOf(error)).toEqual({ code: 'pacs-timeout', status: 504 });
  });

  it('the access gate’s refusals (no code) and no answer at all', () => {
    expect(failureOf(xhr(403, {})).code).toBe('forbidden');
    expect(failureOf(xhr(401, {})).code).toBe('signed-out');
    expect(failureOf(xhr(418, {}))).toEqual({ code: 'http', status: 418 });
    expect(failureOf(xhr(0, {})).code).toBe('no-answer');
    expect(failureOfAnswer(404, () => 'not-a-code')).toEqual({ code: 'http', status: 404 });
  });

  it('a decoder’s message is worded by what it means, and kept as the detail', () => {
    const failure = failureOf(new Error('unsupported pixel format for RLE'));
    expect(failure).toEqual({ code: 'decode-unsupported', detail: 'unsupported pixel format for RLE' });
    expect(failureReason('en', failure)).toBe('the viewer cannot decode this image’s encoding (unsupported pixel format for RLE)');
    expect(failureReason('zh-CN', failure)).toBe('查看器无法解码这幅图像的编码格式（unsupported pixel format for RLE）');
    expect(failureOf(new Error('no decoder for transfer syntax 1.2.840.10008.1.2.4.100')).code).toBe('decode-unsupported');
    expect(failureOf(new Error('No JPEG Baseline decoder loaded')).code).toBe('decode-unsupported');
    // The loader's own wording of data that does not fit its description.
    expect(failureOf(new Error('frame exceeds size of pixelData')).code).toBe('decode-corrupt');
    expect(failureOf(new Error('decodeRGB: rgbBuffer length 7 must be divisible by 3')).code).toBe('decode-corrupt');
    expect(failureOf(new Error('invalid response - no multipart mime header'))).toMatchObject({ code: 'decode-corrupt' });
    expect(failureReason('zh-CN', failureOf(new Error('frame exceeds size of pixelData')))).toBe(
      '图像数据不完整或与其描述不符（frame exceeds size of pixelData）',
    );
    // Anything else stays a plain decode failure with its message.
    expect(failureOf(new Error('something new'))).toEqual({ code: 'decode', detail: 'something new' });
    expect(failureOf(undefined)).toEqual({ code: 'decode' });
  });

  it('a value range the viewer cannot draw (value-range.ts) is worded with the range, in both languages', () => {
    const failure = { code: 'value-range', detail: '62914575 … 4292345870' } as const;
    const error = Object.assign(new Error('value range 62914575 … 4292345870'), { failure });
    expect(failureOf(error)).toEqual(failure);
    expect(failureReason('en', failure)).toBe('the image’s values span a range too wide for the viewer to draw (62914575 … 4292345870)');
    expect(failureReason('zh-CN', failure)).toBe('图像数值范围过大，查看器无法显示（62914575 … 4292345870）');
  });

  it('a metadata failure carries its failure through the Error', () => {
    expect(failureOf(new ImagingLoadError({ code: 'pacs-unreachable', status: 502 }))).toEqual({ code: 'pacs-unreachable', status: 502 });
  });
});
