import { describe, expect, it } from 'vitest';
import { failureOf, failureOfAnswer } from '../../../src/renderer/features/imaging/imaging-failure.ts';
import { failureReason } from '../../../src/renderer/features/imaging/imaging-words.ts';
import { ImagingLoadError } from '../../../src/renderer/features/imaging/series-loader.ts';

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

  it('a decoder’s message is kept as the detail', () => {
    const failure = failureOf(new Error('unsupported pixel format for RLE'));
    expect(failure).toEqual({ code: 'decode', detail: 'unsupported pixel format for RLE' });
    expect(failureReason('en', failure)).toBe('the image could not be decoded (unsupported pixel format for RLE)');
    expect(failureReason('zh-CN', failure)).toBe('图像无法解码（unsupported pixel format for RLE）');
  });

  it('a metadata failure carries its failure through the Error', () => {
    expect(failureOf(new ImagingLoadError({ code: 'pacs-unreachable', status: 502 }))).toEqual({ code: 'pacs-unreachable', status: 502 });
  });
});
