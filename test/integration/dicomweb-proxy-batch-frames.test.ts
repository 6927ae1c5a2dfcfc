/**
 * The proxy's cache-only frame batch (x-huizhen-frames) over a real loopback socket, a real
 * encrypted cache, and a loopback PACS that counts every request: a batch never reaches the PACS,
 * refuses the whole request when any frame is not sealed in the cache, reads nothing for a study no
 * open patient owns, and answers parts byte for byte equal to the single-frame answers. Hostile
 * instance lists are refused with a typed code before anything is read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { createDicomwebProxy, type DicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { tempCacheDir, testProtector } from '../support/cache-fixtures.ts';
import { parseMultipart, startProxyServer, type ProxyServer } from '../support/imaging-proxy-server.ts';

const STUDY = '2.25.7001';
const SERIES = '2.25.7001.1';
const OTHER_SERIES = '2.25.7001.2';
const UNOWNED_STUDY = '2.25.7002';
const INSTANCES = Array.from({ length: 6 }, (_, i) => `${SERIES}.${i + 1}`);
const OTHER_INSTANCE = `${OTHER_SERIES}.1`;
const SINGLE_ACCEPT = 'application/octet-stream; transfer-syntax=*';
const SYNTAX = '1.2.840.10008.1.2.1';

let pacsServer: Server;
const pacsRequests: string[] = [];
let cache: CacheStore;
let cacheDir: { dir: string; cleanup: () => void };
let proxy: DicomwebProxy;
let server: ProxyServer;
/** Cache reads the proxy made (blob names), to show a refused study is never read. */
const blobReads: string[] = [];

/** A frame's pixel bytes: different per instance, every byte value present. */
function pixelsOf(path: string): Buffer {
  const seed = [...path].reduce((sum, c) => (sum * 31 + c.charCodeAt(0)) >>> 0, 7);
  return Buffer.from(Array.from({ length: 70_000 }, (_, i) => (seed + i * 13) & 0xff));
}

async function get(path: string, accept = SINGLE_ACCEPT): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(`${server.origin}/dicom-web/pacs/${path}`, { headers: { accept } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

const framePath = (series: string, instance: string, study = STUDY) => `studies/${study}/series/${series}/instances/${instance}/frames/1`;
const batchPath = (instances: readonly string[], series = SERIES, study = STUDY) =>
  `studies/${study}/series/${series}/x-huizhen-frames?instances=${instances.join(',')}`;

beforeAll(async () => {
  pacsServer = createServer((req, res) => {
    const path = req.url ?? '';
    pacsRequests.push(path);
    const listed = /\/series\/([0-9.]+)\/metadata$/.exec(path);
    if (listed) {
      // The series' instance list, which the proxy reads before serving an instance's frames.
      const series = listed[1]!;
      const uid = (value: string) => ({ vr: 'UI', Value: [value] });
      const members = [...INSTANCES, OTHER_INSTANCE].filter((i) => i.startsWith(`${series}.`));
      res.writeHead(200, { 'content-type': 'application/dicom+json' });
      return void res.end(JSON.stringify(members.map((i) => ({ '0020000D': uid(STUDY), '0020000E': uid(series), '00080018': uid(i) }))));
    }
    if (!/\/frames\/1$/.test(path)) return void res.writeHead(404).end();
    const pixels = pixelsOf(path.replace(/^\/dicom-web\//, ''));
    res.writeHead(200, { 'content-type': `multipart/related; type="application/octet-stream"; boundary=pacs` });
    res.end(
      Buffer.concat([
        Buffer.from(`--pacs\r\nContent-Type: application/octet-stream; transfer-syntax=${SYNTAX}\r\n\r\n`),
        pixels,
        Buffer.from('\r\n--pacs--\r\n'),
      ]),
    );
  });
  await new Promise<void>((resolve) => pacsServer.listen(0, '127.0.0.1', resolve));
  cacheDir = tempCacheDir('dicomweb-batch');
  const store = await openCacheStore({ directory: cacheDir.dir, protector: testProtector() });
  cache = Object.assign(Object.create(store) as CacheStore, {
    getBlob: (patientKey: string, name: string) => {
      blobReads.push(name);
      return store.getBlob(patientKey, name);
    },
  });
  proxy = createDicomwebProxy({
    sources: [
      {
        sourceId: 'pacs',
        endpoint: {
          sourceId: 'pacs',
          sourceName: 'PACS',
          baseUrl: `http://127.0.0.1:${(pacsServer.address() as AddressInfo).port}/dicom-web`,
          auth: { type: 'basic', username: 'u', password: 'secret-pw' },
          timeoutMs: 30_000,
        },
      },
    ],
    cache,
    patientKeyFor: (studyUid) => (studyUid === STUDY ? 'patient-batch' : undefined),
  });
  server = await startProxyServer(proxy);
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => pacsServer?.close(() => resolve()));
  cache?.close();
  cacheDir?.cleanup();
});

describe('frame batch (x-huizhen-frames), cache only', () => {
  it('refuses frames not in the cache with not-cached (409) and never asks the PACS', async () => {
    const got = await get(batchPath(INSTANCES.slice(0, 3)));
    expect(got.status).toBe(409);
    expect(got.headers.get('x-huizhen-error')).toBe('not-cached');
    expect(pacsRequests).toEqual([]);
  });

  it('answers cached frames in one multipart body, each part byte for byte the single-frame answer', async () => {
    const singles = new Map<string, { contentType: string; body: Buffer }>();
    for (const instance of INSTANCES.slice(0, 5)) {
      const single = await get(framePath(SERIES, instance));
      expect(single.status).toBe(200);
      singles.set(instance, { contentType: single.headers.get('content-type')!, body: single.body });
    }
    expect(singles.get(INSTANCES[0]!)!.contentType).toBe(`application/octet-stream; transfer-syntax=${SYNTAX}`);
    await proxy.settled();
    const asked = pacsRequests.length;

    const order = [INSTANCES[3]!, INSTANCES[0]!, INSTANCES[4]!, INSTANCES[1]!];
    const got = await get(batchPath(order));
    expect(got.status).toBe(200);
    expect(got.headers.get('x-huizhen-cache')).toBe('hit');
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(Number(got.headers.get('content-length'))).toBe(got.body.length);
    const parts = parseMultipart(got.headers.get('content-type')!, got.body);
    expect(parts).toHaveLength(order.length);
    parts.forEach((part, i) => {
      const single = singles.get(order[i]!)!;
      expect(part.headers['content-location']).toBe(`/dicom-web/pacs/${framePath(SERIES, order[i]!)}`);
      expect(part.headers['content-type']).toBe(single.contentType);
      expect(Number(part.headers['content-length'])).toBe(single.body.length);
      expect(part.body.equals(single.body)).toBe(true);
      expect(part.body.equals(pixelsOf(framePath(SERIES, order[i]!)))).toBe(true);
    });
    // Not one request to the PACS for the batch.
    expect(pacsRequests.length).toBe(asked);
  });

  it('refuses the whole batch when one frame is not cached, without asking the PACS for it', async () => {
    const asked = pacsRequests.length;
    const got = await get(batchPath([INSTANCES[0]!, INSTANCES[5]!]));
    expect(got.status).toBe(409);
    expect(got.headers.get('x-huizhen-error')).toBe('not-cached');
    expect(pacsRequests.length).toBe(asked);
    // An instance of another series is not cached under this one: refused the same way.
    const other = await get(batchPath([INSTANCES[0]!, OTHER_INSTANCE]));
    expect(other.status).toBe(409);
    expect(pacsRequests.length).toBe(asked);
  });

  it('reads nothing from the cache for a study no open patient owns', async () => {
    const reads = blobReads.length;
    const got = await get(batchPath([`${UNOWNED_STUDY}.1.1`], `${UNOWNED_STUDY}.1`, UNOWNED_STUDY));
    expect(got.status).toBe(409);
    expect(got.headers.get('x-huizhen-error')).toBe('not-cached');
    expect(blobReads.length).toBe(reads);
  });

  it('refuses hostile instance lists with bad-request before any read: thousands, duplicates, non-UIDs, extra parameters', async () => {
    const reads = blobReads.length;
    const asked = pacsRequests.length;
    const many = Array.from({ length: 5000 }, (_, i) => `${SERIES}.${i + 1}`);
    const hostile = [
      batchPath(many),
      batchPath(many.slice(0, 25)),
      batchPath([INSTANCES[0]!, INSTANCES[0]!]),
      batchPath([INSTANCES[0]!, '1.2.abc']),
      batchPath([`${'1.'.repeat(40)}1`]),
      batchPath([]),
      `${batchPath([INSTANCES[0]!])}&instances=${INSTANCES[1]}`,
      `${batchPath([INSTANCES[0]!])}&limit=1`,
      `studies/${STUDY}/series/${SERIES}/x-huizhen-frames`,
      `studies/${STUDY}/series/${SERIES}/x-huizhen-frames/1?instances=${INSTANCES[0]}`,
    ];
    for (const path of hostile) {
      // Straight to the handler: a real socket would refuse the 5,000-id URL itself (431), before the proxy saw it.
      const response = await proxy(new Request(`http://127.0.0.1/dicom-web/pacs/${path}`, { headers: { accept: SINGLE_ACCEPT } }));
      expect([400, 404], path.slice(0, 120)).toContain(response.status);
      if (response.status === 400) expect(response.headers.get('x-huizhen-error')).toBe('bad-request');
    }
    expect(blobReads.length).toBe(reads);
    expect(pacsRequests.length).toBe(asked);
  });

  it('is asked with the single-frame Accept header; a multipart one is not acceptable', async () => {
    const got = await get(batchPath([INSTANCES[0]!]), 'multipart/related; type="application/octet-stream"; transfer-syntax=*');
    expect(got.status).toBe(406);
    expect(got.headers.get('x-huizhen-error')).toBe('not-acceptable');
  });
});
