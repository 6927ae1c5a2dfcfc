/**
 * A PACS that finds series and instances by their own UID, whatever study the path names (a
 * lax WADO-RS/QIDO-RS implementation): the proxy must not pass on another study's metadata
 * under the study the access decision was made for. Real sockets on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { startProxyServer, type ProxyServer } from '../support/imaging-proxy-server.ts';

const OURS = { study: '1.2.826.0.1.3680043.8.498.100', series: '1.2.826.0.1.3680043.8.498.101', sop: '1.2.826.0.1.3680043.8.498.102' };
const THEIRS = { study: '1.2.826.0.1.3680043.8.498.200', series: '1.2.826.0.1.3680043.8.498.201', sop: '1.2.826.0.1.3680043.8.498.202' };
const ALL = [OURS, THEIRS];

const dataset = (s: typeof OURS, name: string) => ({
  '00100010': { vr: 'PN', Value: [{ Alphabetic: name }] },
  '0020000D': { vr: 'UI', Value: [s.study] },
  '0020000E': { vr: 'UI', Value: [s.series] },
  '00080018': { vr: 'UI', Value: [s.sop] },
});

let pacs: Server;
let server: ProxyServer;

beforeAll(async () => {
  // Looks up by the LAST UID in the path only, as a lax PACS would.
  pacs = createServer((req, res) => {
    const path = req.url ?? '';
    const found =
      ALL.find((s) => path.includes(s.sop)) ?? ALL.find((s) => path.includes(s.series)) ?? ALL.find((s) => path.includes(s.study));
    if (!found) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/dicom+json' });
    res.end(JSON.stringify([dataset(found, found === OURS ? 'OUR^PATIENT' : 'STRANGER^SECRET')]));
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

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.origin}/dicom-web/pacs/${path}`, { headers: { accept: 'application/dicom+json' } });
  return { status: response.status, text: await response.text() };
}

describe('a lax PACS that ignores the study in the path', () => {
  it('serves the study’s own metadata and searches', async () => {
    for (const path of [
      `studies/${OURS.study}/series/${OURS.series}/metadata`,
      `studies/${OURS.study}/series/${OURS.series}/instances/${OURS.sop}/metadata`,
      `studies/${OURS.study}/series/${OURS.series}/instances`,
      `studies/${OURS.study}/series`,
    ]) {
      const got = await get(path);
      expect(got.status, path).toBe(200);
      expect(got.text).toContain('OUR^PATIENT');
    }
  });

  it('never passes on another study’s metadata put under this study’s UID', async () => {
    for (const path of [
      `studies/${OURS.study}/series/${THEIRS.series}/metadata`,
      `studies/${OURS.study}/series/${OURS.series}/instances/${THEIRS.sop}/metadata`,
      `studies/${OURS.study}/series/${THEIRS.series}/instances`,
    ]) {
      const got = await get(path);
      expect(got.status, path).toBe(502);
      expect(got.text).not.toContain('STRANGER');
    }
  });
});
