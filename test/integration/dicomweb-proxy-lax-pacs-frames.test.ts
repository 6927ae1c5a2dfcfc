/**
 * A PACS that finds instances by their own UID, whatever study and series the path names (a lax
 * WADO-RS implementation): the proxy must not pass on another study's pixels or whole Part 10
 * file under the study the access decision was made for. It serves an instance's frames, the
 * instance and its bulk data only when a metadata answer of the path's study and series listed it;
 * not yet known, it asks the series' metadata first — never the pixel data. Real sockets on 127.0.0.1.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { DICOMWEB_ERROR_HEADER } from '../../src/shared/api/dicomweb-errors.ts';
import { startProxyServer, type ProxyServer } from '../support/imaging-proxy-server.ts';

const OURS = { study: '1.2.826.0.1.3680043.8.498.100', series: '1.2.826.0.1.3680043.8.498.101', sop: '1.2.826.0.1.3680043.8.498.102' };
const THEIRS = { study: '1.2.826.0.1.3680043.8.498.200', series: '1.2.826.0.1.3680043.8.498.201', sop: '1.2.826.0.1.3680043.8.498.202' };
/** A second series of our study, its instance not yet known to the proxy when the third test asks. */
const SECOND = { study: OURS.study, series: '1.2.826.0.1.3680043.8.498.103', sop: '1.2.826.0.1.3680043.8.498.104' };
const ALL = [OURS, SECOND, THEIRS];
const FRAME_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
const SINGLE_FRAME_ACCEPT = 'application/octet-stream; transfer-syntax=*';
const INSTANCE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

const dataset = (s: typeof OURS) => ({
  '00100010': { vr: 'PN', Value: [{ Alphabetic: s === THEIRS ? 'STRANGER^SECRET' : 'OUR^PATIENT' }] },
  '0020000D': { vr: 'UI', Value: [s.study] },
  '0020000E': { vr: 'UI', Value: [s.series] },
  '00080018': { vr: 'UI', Value: [s.sop] },
});

let pacs: Server;
let server: ProxyServer;
/** Every path the PACS was asked, in order. */
const asked: string[] = [];

function multipart(res: ServerResponse, type: string, body: string): void {
  const boundary = 'lax-pacs-boundary';
  res.writeHead(200, { 'content-type': `multipart/related; type="${type}"; boundary=${boundary}` });
  res.end(`--${boundary}\r\nContent-Type: ${type}\r\n\r\n${body}\r\n--${boundary}--\r\n`);
}

beforeAll(async () => {
  // Looks up by the LAST UID in the path only, as a lax PACS would; frames and instances name whose they are.
  pacs = createServer((req, res) => {
    const path = req.url ?? '';
    asked.push(path);
    const found =
      ALL.find((s) => path.includes(s.sop)) ?? ALL.find((s) => path.includes(s.series)) ?? ALL.find((s) => path.includes(s.study));
    if (!found) return void res.writeHead(404).end();
    const whose = found === THEIRS ? 'STRANGER-PIXELS' : 'OUR-PIXELS';
    if (/\/frames\/\d/.test(path)) return multipart(res, 'application/octet-stream', whose);
    if (/\/bulk\//.test(path)) return multipart(res, 'application/octet-stream', whose);
    if (/\/instances\/[0-9.]+$/.test(path)) return multipart(res, 'application/dicom', `DICM ${whose}`);
    res.writeHead(200, { 'content-type': 'application/dicom+json' });
    res.end(JSON.stringify([dataset(found)]));
  });
  await new Promise<void>((resolve) => pacs.listen(0, '127.0.0.1', resolve));
  const proxy = createDicomwebProxy({
    sources: [
      {
        sourceId: 'pacs',
        endpoint: {
          sourceId: 'pacs',
          sourceName: 'PACS',
          baseUrl: `http://127.0.0.1:${(pacs.address() as AddressInfo).port}/dicom-web`,
          auth: { type: 'none' },
          timeoutMs: 30_000,
        },
      },
    ],
  });
  server = await startProxyServer(proxy);
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => pacs?.close(() => resolve()));
});

async function get(path: string, accept: string) {
  const response = await fetch(`${server.origin}/dicom-web/pacs/${path}`, { headers: { accept } });
  return { status: response.status, code: response.headers.get(DICOMWEB_ERROR_HEADER), text: await response.text() };
}

const pixelPaths = (study: string, series: string, sop: string) =>
  [
    [`studies/${study}/series/${series}/instances/${sop}/frames/1`, FRAME_ACCEPT],
    [`studies/${study}/series/${series}/instances/${sop}/frames/1`, SINGLE_FRAME_ACCEPT],
    [`studies/${study}/series/${series}/instances/${sop}`, INSTANCE_ACCEPT],
    [`studies/${study}/series/${series}/instances/${sop}/bulk/7fe00010`, FRAME_ACCEPT],
  ] as const;

describe('a lax PACS that serves any instance under any study', () => {
  it('the study’s own instance: its series’ metadata asked first when not yet served, then its frames, file and bulk data', async () => {
    const from = asked.length;
    for (const [path, accept] of pixelPaths(OURS.study, OURS.series, OURS.sop)) {
      const got = await get(path, accept);
      expect(got.status, `${path} ${accept}: ${got.text}`).toBe(200);
      expect(got.text).toContain('OUR-PIXELS');
    }
    // Learnt once: the series' metadata, before any pixel data.
    const mine = asked.slice(from);
    expect(mine[0]).toBe(`/dicom-web/studies/${OURS.study}/series/${OURS.series}/metadata`);
    expect(mine.filter((p) => p.endsWith('/metadata'))).toHaveLength(1);
  });

  it('another study’s instance put under this study (its own series, or this study’s series): refused, typed, its pixels never asked', async () => {
    const from = asked.length;
    for (const series of [THEIRS.series, OURS.series]) {
      for (const [path, accept] of pixelPaths(OURS.study, series, THEIRS.sop)) {
        const got = await get(path, accept);
        expect(got.status, `${path} ${accept}: ${got.text}`).toBe(403);
        expect(got.code).toBe('not-in-series');
        expect(got.text).not.toContain('STRANGER');
      }
    }
    // Only the other series' metadata was asked (to learn it; it is not ours, so nothing is learnt and
    // it is asked again each time); our series is listed already. No frame, file or bulk data of the other instance.
    const mine = asked.slice(from);
    expect(mine.filter((p) => !p.endsWith('/metadata'))).toEqual([]);
    expect(new Set(mine)).toEqual(new Set([`/dicom-web/studies/${OURS.study}/series/${THEIRS.series}/metadata`]));
  });

  it('frames of a series not yet known, asked all at once: its metadata asked once, every frame answered', async () => {
    const from = asked.length;
    const path = `studies/${SECOND.study}/series/${SECOND.series}/instances/${SECOND.sop}/frames/1`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(path, FRAME_ACCEPT)));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 8 }, () => 200));
    const mine = asked.slice(from);
    expect(mine.filter((p) => p.endsWith('/metadata'))).toEqual([`/dicom-web/studies/${SECOND.study}/series/${SECOND.series}/metadata`]);
    expect(mine.indexOf(`/dicom-web/${path}`)).toBeGreaterThan(0);
  });
});
