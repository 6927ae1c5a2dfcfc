/**
 * Whole-series read-ahead against the real demo PACS (Orthanc), through a counting loopback hop
 * that can also refuse, truncate, stall or replace the series retrieve: one series request instead
 * of a request per frame, every frame byte-identical to Orthanc's own per-frame answer, and every
 * failure of the retrieve ending in frames asked one by one — never in a wrong frame.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { endpointFromConfig } from '../../src/adapters/dicomweb/index.ts';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { createDicomwebProxy, type DicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import type { PlannedStudy } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { tempCacheDir, testProtector } from '../support/cache-fixtures.ts';
import { parseMultipart, startProxyServer, type ProxyServer } from '../support/imaging-proxy-server.ts';
import { startTestPacs, type TestPacs } from '../support/pacs-orthanc.ts';

/** What the viewer asks for a frame (features/imaging/cornerstone-setup.ts). */
const VIEWER_ACCEPT = 'application/octet-stream; transfer-syntax=*, multipart/related; type="application/octet-stream"; transfer-syntax=*';
const FRAME_AS_STORED = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
const SERIES_RETRIEVE = /\/studies\/[0-9.]+\/series\/[0-9.]+$/;
const FRAME_REQUEST = /\/frames\/[0-9,]+$/;

type SeriesMode = 'pass' | 'refuse' | 'truncate' | 'stall' | 'silent' | 'hostile';

let pacs: TestPacs;
let hop: Server;
let hopOrigin: string;
let mode: SeriesMode = 'pass';
/** Paths the proxy asked the PACS for, through the hop. */
let asked: string[] = [];
let chestCt: PlannedStudy;
let ctSeriesUid: string;
const heldResponses = new Set<{ destroy(): void }>();

/** A DICOM file whose nesting is 200,000 sequences deep (as in the unit test): dicom-parser gives up on it. */
function deeplyNested(): Buffer {
  const syntax = Buffer.from('1.2.840.10008.1.2.1\0', 'latin1');
  const meta = Buffer.concat([Buffer.from([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, syntax.length, 0x00]), syntax]);
  const level = Buffer.from([
    0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff,
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, Buffer.alloc(level.length * 200_000).fill(level)]);
}

/** A series answer a hostile or broken PACS might send: parts that are no instance of this series. */
function hostileSeriesAnswer(res: ServerResponse): void {
  const otherSeries = readFileSync('/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm');
  const parts = [deeplyNested(), otherSeries, Buffer.from('not a DICOM file at all')];
  const body = Buffer.concat([
    ...parts.flatMap((p) => [Buffer.from('--hostile\r\nContent-Type: application/dicom\r\n\r\n'), p, Buffer.from('\r\n')]),
    Buffer.from('--hostile--\r\n'),
  ]);
  res.writeHead(200, { 'content-type': 'multipart/related; type="application/dicom"; boundary=hostile', 'content-length': body.length });
  res.end(body);
}

function startHop(target: string): Promise<void> {
  const to = new URL(target);
  hop = createServer((req, res) => {
    const path = req.url ?? '/';
    asked.push(path);
    const isSeries = SERIES_RETRIEVE.test(path);
    if (isSeries && mode === 'refuse') return void res.writeHead(406).end();
    if (isSeries && mode === 'hostile') return hostileSeriesAnswer(res);
    if (isSeries && mode === 'silent') return void heldResponses.add(res);
    const upstream = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path, headers: { ...req.headers, host: to.host } },
      (answer) => {
        if (!isSeries || mode === 'pass') {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          return void answer.pipe(res);
        }
        if (mode === 'stall') {
          // The first chunk, then nothing (the connection is held until the test ends).
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.once('data', (chunk: Buffer) => {
            answer.pause();
            res.write(chunk);
            heldResponses.add(res);
          });
          return;
        }
        // Truncate: the whole length announced, half of it sent, then the connection drops.
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(200, { 'content-type': answer.headers['content-type'] ?? '', 'content-length': body.length });
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
        });
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });
  return new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', () => resolve())).then(() => {
    hopOrigin = `http://127.0.0.1:${(hop.address() as AddressInfo).port}`;
  });
}

interface Rig {
  proxy: DicomwebProxy;
  server: ProxyServer;
  cache: CacheStore;
  logs: string[];
  close(): Promise<void>;
}
let rig: Rig | undefined;

async function startRig(): Promise<Rig> {
  const dir = tempCacheDir('series-read-ahead');
  const cache = await openCacheStore({ directory: dir.dir, protector: testProtector() });
  const logs: string[] = [];
  const endpoint = { ...endpointFromConfig(pacs.config), baseUrl: `${hopOrigin}/dicom-web` };
  const proxy = createDicomwebProxy({
    sources: [{ sourceId: 'pacs', endpoint }],
    cache,
    patientKeyFor: () => 'patient-read-ahead',
    log: (l) => logs.push(l),
  });
  const server = await startProxyServer(proxy);
  asked = [];
  return {
    proxy,
    server,
    cache,
    logs,
    close: async () => {
      await server.close();
      await proxy.settled();
      cache.close();
      dir.cleanup();
    },
  };
}

async function viaProxy(path: string, accept: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(`${rig!.server.origin}/dicom-web/pacs/${path}`, { headers: { accept } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** Orthanc's own answer to one frame asked as stored: the part's bytes and the syntax it names. */
async function orthancFrame(path: string): Promise<{ syntax: string; body: Buffer }> {
  const { username, password } = pacs.pacs.credentials;
  const response = await fetch(`${pacs.pacs.dicomwebBaseUrl}/${path}`, {
    headers: {
      accept: FRAME_AS_STORED,
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'accept-encoding': 'identity',
    },
  });
  expect(response.status).toBe(200);
  const [part] = parseMultipart(response.headers.get('content-type')!, Buffer.from(await response.arrayBuffer()));
  const syntax = /transfer-syntax=([0-9.]+)/.exec(part!.headers['content-type'] ?? '')?.[1] ?? '';
  return { syntax, body: part!.body };
}

/** The series' metadata through the proxy (what the viewer asks first), as frame paths in instance order. */
async function framePaths(): Promise<string[]> {
  const seriesPath = `studies/${chestCt.studyUid}/series/${ctSeriesUid}`;
  const got = await viaProxy(`${seriesPath}/metadata`, 'application/dicom+json');
  expect(got.status).toBe(200);
  const datasets = JSON.parse(got.body.toString('utf8')) as Record<string, { Value?: unknown[] }>[];
  return datasets.flatMap((d) => {
    const frames = Number(d['00280008']?.Value?.[0] ?? 1);
    return Array.from({ length: frames }, (_, i) => `${seriesPath}/instances/${String(d['00080018']!.Value![0])}/frames/${i + 1}`);
  });
}

/** Every frame, six in flight as the viewer asks them, each checked against Orthanc's per-frame answer. */
async function expectEveryFrameRight(paths: readonly string[]): Promise<void> {
  const queue = [...paths];
  const worker = async () => {
    for (let path = queue.shift(); path; path = queue.shift()) {
      const got = await viaProxy(path, VIEWER_ACCEPT);
      expect(got.status, path).toBe(200);
      const expected = await orthancFrame(path);
      expect(got.headers.get('content-type'), path).toBe(`application/octet-stream; transfer-syntax=${expected.syntax}`);
      expect(got.body.equals(expected.body), path).toBe(true);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

const seriesRequests = () => asked.filter((p) => SERIES_RETRIEVE.test(p));
const frameRequests = () => asked.filter((p) => FRAME_REQUEST.test(p));

beforeAll(async () => {
  pacs = await startTestPacs();
  chestCt = pacs.pacs.plan.studies.find((s) => s.series.some((se) => se.kind === 'ct-phantom'))!;
  ctSeriesUid = chestCt.series.find((s) => s.kind === 'ct-phantom')!.uid;
  await startHop(new URL(pacs.pacs.dicomwebBaseUrl).origin);
}, 120_000);

afterEach(async () => {
  for (const res of heldResponses) res.destroy();
  heldResponses.clear();
  await rig?.close();
  rig = undefined;
  mode = 'pass';
});

afterAll(async () => {
  hop?.closeAllConnections();
  await new Promise<void>((resolve) => (hop ? hop.close(() => resolve()) : resolve()));
  await pacs?.pacs.stop();
});

describe('DICOMweb proxy: whole-series read-ahead over the demo PACS', () => {
  it('a cold series costs the PACS one series request, not one per frame, and every frame is byte-identical to Orthanc’s', async () => {
    rig = await startRig();
    const paths = await framePaths();
    expect(paths.length).toBeGreaterThan(5);
    await expectEveryFrameRight(paths);
    expect(seriesRequests()).toHaveLength(1);
    // Only the first frames, asked before the retrieve started behind the first answer, went on their own (six in flight).
    expect(frameRequests().length).toBeGreaterThanOrEqual(1);
    expect(frameRequests().length).toBeLessThanOrEqual(6);
    expect(rig.logs.filter((l) => /read-ahead/.test(l))).toEqual([]);

    // Cached exactly as a frame request would have been: warm reads come from the cache, same bytes.
    await rig.proxy.settled();
    const warm = await viaProxy(paths[3]!, VIEWER_ACCEPT);
    expect(warm.headers.get('x-huizhen-cache')).toBe('hit');
    expect(warm.body.equals((await orthancFrame(paths[3]!)).body)).toBe(true);
    expect(seriesRequests()).toHaveLength(1);
  }, 120_000);

  it('a client that reads multipart only (OHIF, dicomweb-client) gets the same retrieve and cache entry, each frame the one part of its answer', async () => {
    rig = await startRig();
    const paths = await framePaths();
    const queue = [...paths];
    const worker = async () => {
      for (let path = queue.shift(); path; path = queue.shift()) {
        const got = await viaProxy(path, FRAME_AS_STORED);
        expect(got.status, path).toBe(200);
        const expected = await orthancFrame(path);
        const contentType = got.headers.get('content-type')!;
        expect(contentType, path).toMatch(/^multipart\/related; type="application\/octet-stream"; transfer-syntax=[0-9.]+; boundary=/);
        expect(contentType, path).toContain(`transfer-syntax=${expected.syntax}`);
        const parts = parseMultipart(contentType, got.body);
        expect(parts, path).toHaveLength(1);
        expect(parts[0]!.headers['content-type'], path).toBe(`application/octet-stream; transfer-syntax=${expected.syntax}`);
        expect(parts[0]!.headers['content-location'], path).toBe(`/dicom-web/pacs/${path}`);
        expect(parts[0]!.body.equals(expected.body), path).toBe(true);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(seriesRequests()).toHaveLength(1);
    expect(frameRequests().length).toBeLessThanOrEqual(6);
    // The viewer's single-part form of the same frame is the same cache entry: no PACS request.
    await rig.proxy.settled();
    const before = asked.length;
    const single = await viaProxy(paths[2]!, VIEWER_ACCEPT);
    expect(single.headers.get('x-huizhen-cache')).toBe('hit');
    expect(single.body.equals((await orthancFrame(paths[2]!)).body)).toBe(true);
    expect(asked.length).toBe(before);
  }, 120_000);

  it('a frame asked before its series’ metadata waits for the retrieve, which vouches for its instance: no request of its own, no metadata asked', async () => {
    rig = await startRig();
    const paths = await framePaths();
    await rig.close();
    rig = await startRig();
    const last = paths[paths.length - 1]!;
    await expectEveryFrameRight([last]);
    await expectEveryFrameRight([paths[0]!]);
    expect(seriesRequests()).toHaveLength(1);
    // Nothing of an instance is fetched before it is known to be of the path's series: the retrieve's
    // own data sets say so (series-members.ts), so neither a frame request nor the metadata went out.
    expect(frameRequests()).toHaveLength(0);
    expect(asked.filter((p) => p.endsWith('/metadata'))).toHaveLength(0);
  }, 120_000);

  it('the first frame asked of a series goes on its own, the retrieve behind it: not held behind the instances sent before it', async () => {
    rig = await startRig();
    const paths = await framePaths();
    await rig.close();
    rig = await startRig();
    // A viewer's order: the series' metadata (it lists the instances), then the slice it opens on.
    await framePaths();
    const middle = paths[Math.floor(paths.length / 2)]!;
    await expectEveryFrameRight([middle]);
    expect(frameRequests()).toHaveLength(1);
    expect(seriesRequests()).toHaveLength(1);
    await rig.proxy.settled();
    // The retrieve started behind it and cached the rest: the next frame is a cache hit, and no second frame request left.
    const next = await viaProxy(paths[0]!, VIEWER_ACCEPT);
    expect(next.headers.get('x-huizhen-cache')).toBe('hit');
    expect(frameRequests()).toHaveLength(1);
  }, 120_000);

  it('a PACS refusing the series retrieve (HTTP 406): frames are asked one by one, as before', async () => {
    mode = 'refuse';
    rig = await startRig();
    const paths = await framePaths();
    await expectEveryFrameRight(paths);
    expect(seriesRequests()).toHaveLength(1);
    expect(frameRequests()).toHaveLength(paths.length);
    expect(rig.logs.some((l) => /series read-ahead stopped \(pacs-refused\)/.test(l))).toBe(true);
  }, 120_000);

  it('a series answer cut off halfway: the instances that arrived are served, the rest asked one by one', async () => {
    mode = 'truncate';
    rig = await startRig();
    const paths = await framePaths();
    // The last frame first (on its own; the retrieve starts behind it), then the rest from the start of the series.
    await expectEveryFrameRight(paths.slice(-1));
    await expectEveryFrameRight(paths.slice(0, -1));
    expect(rig.logs.some((l) => /series read-ahead stopped \((broke-off|malformed-multipart)\)/.test(l))).toBe(true);
    expect(frameRequests().length).toBeGreaterThan(0);
    expect(frameRequests().length).toBeLessThan(paths.length);
  }, 120_000);

  it('a series answer that stalls: waiting frames go on alone after the stall bound', async () => {
    mode = 'stall';
    rig = await startRig();
    const paths = await framePaths();
    await expectEveryFrameRight(paths);
    expect(rig.logs.some((l) => /series read-ahead stopped \(stalled\)/.test(l))).toBe(true);
    expect(frameRequests().length).toBeGreaterThan(0);
  }, 120_000);

  it('a series retrieve whose answer never starts: waiting frames go on alone after the same bound', async () => {
    mode = 'silent';
    rig = await startRig();
    const paths = await framePaths();
    await expectEveryFrameRight(paths);
    expect(frameRequests()).toHaveLength(paths.length);
    expect(rig.logs.some((l) => /series read-ahead stopped \(stalled\)/.test(l))).toBe(true);
  }, 120_000);

  it('hostile parts (200,000-deep nesting, another series’ instance, no DICOM at all) are not cut; no frame is served wrong', async () => {
    mode = 'hostile';
    rig = await startRig();
    const paths = await framePaths();
    await expectEveryFrameRight(paths);
    expect(frameRequests()).toHaveLength(paths.length);
    expect(rig.logs.some((l) => /not cut \(unreadable\)/.test(l))).toBe(true);
    expect(rig.logs.some((l) => /not cut \(wrong-series\)/.test(l))).toBe(true);
  }, 120_000);
});
