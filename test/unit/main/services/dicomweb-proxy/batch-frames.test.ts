import { describe, expect, it } from 'vitest';
import { MAX_BATCH_INSTANCES, parseInstanceList, readBatchFrames } from '../../../../../src/main/services/dicomweb-proxy/batch-frames.ts';
import type { PacsAnswer } from '../../../../../src/main/services/dicomweb-proxy/cached-answer.ts';
import { parseProxyRoute } from '../../../../../src/main/services/dicomweb-proxy/proxy-route.ts';

const params = (query: string) => new URLSearchParams(query);
const served = (body: string, contentType = 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1'): PacsAnswer => ({
  contentType,
  body: new Uint8Array(Buffer.from(body)),
  fetchedAt: '2026-12-07T00:00:00.000Z',
  form: 'served',
});

describe('frame batch instance list', () => {
  it('takes 1–24 distinct SOP Instance UIDs and nothing else', () => {
    expect(parseInstanceList(params('instances=1.2.3,1.2.4'))).toEqual({
      ok: true,
      instanceUids: ['1.2.3', '1.2.4'],
      query: 'instances=1.2.3,1.2.4',
    });
    const full = Array.from({ length: MAX_BATCH_INSTANCES }, (_, i) => `1.2.${i}`);
    expect(parseInstanceList(params(`instances=${full.join(',')}`)).ok).toBe(true);
    for (const bad of [
      `instances=${[...full, '1.3'].join(',')}`,
      `instances=${'1.2,'.repeat(10_000)}1.2`,
      'instances=1.2,1.2',
      'instances=1.2,,1.3',
      'instances=',
      'instances=1.2&instances=1.3',
      'instances=1.2&limit=1',
      'instances=1..2',
      `instances=${'1'.repeat(65)}`,
      '',
    ])
      expect(parseInstanceList(params(bad)).ok, bad.slice(0, 60)).toBe(false);
  });

  it('is a route of its own, refused as a bad request when its list is', () => {
    const prefix = '/dicom-web/';
    const ok = parseProxyRoute(new URL('http://h/dicom-web/pacs/studies/1.2/series/1.2.3/x-huizhen-frames?instances=1.2.3.4'), prefix);
    expect(ok).toMatchObject({ ok: true, route: { kind: 'batch-frames', studyUid: '1.2', seriesUid: '1.2.3', instanceUids: ['1.2.3.4'] } });
    const bad = parseProxyRoute(new URL('http://h/dicom-web/pacs/studies/1.2/series/1.2.3/x-huizhen-frames?instances=a'), prefix);
    expect(bad).toMatchObject({ ok: false, status: 400 });
  });
});

describe('frame batch body', () => {
  it('frames the cached bodies without copying them, each part with its location and length', async () => {
    const answers = new Map([
      ['studies/1/series/2/instances/3/frames/1', served('abc')],
      ['studies/1/series/2/instances/4/frames/1', served('de\r\n--x')],
    ]);
    const read = await readBatchFrames({
      seriesPath: 'studies/1/series/2',
      instanceUids: ['4', '3'],
      servedRoot: '/dicom-web/pacs',
      readFrame: async (path) => answers.get(path),
    });
    if (!read.ok) throw new Error('refused');
    expect(read.parts).toBe(2);
    expect(read.chunks[1]).toBe(answers.get('studies/1/series/2/instances/4/frames/1')!.body);
    const text = Buffer.concat(read.chunks).toString('latin1');
    expect(Buffer.concat(read.chunks).length).toBe(read.byteLength);
    const boundary = /boundary=(\S+)/.exec(read.contentType)![1]!;
    expect(text).toBe(
      `--${boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n` +
        `Content-Location: /dicom-web/pacs/studies/1/series/2/instances/4/frames/1\r\nContent-Length: 7\r\n\r\nde\r\n--x` +
        `\r\n--${boundary}\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n` +
        `Content-Location: /dicom-web/pacs/studies/1/series/2/instances/3/frames/1\r\nContent-Length: 3\r\n\r\nabc` +
        `\r\n--${boundary}--\r\n`,
    );
  });

  it('refuses the whole batch for a frame missing or cached in another form', async () => {
    const read = (answer: PacsAnswer | undefined) =>
      readBatchFrames({
        seriesPath: 's',
        instanceUids: ['1', '2'],
        servedRoot: '/r',
        readFrame: async (path) => (path.includes('/1/') ? served('a') : answer),
      });
    expect(await read(undefined)).toEqual({ ok: false, missing: 1 });
    expect(await read(served('b', 'multipart/related; boundary=q'))).toEqual({ ok: false, missing: 1 });
    expect(await read({ ...served('b'), form: 'pacs' })).toEqual({ ok: false, missing: 1 });
  });
});
