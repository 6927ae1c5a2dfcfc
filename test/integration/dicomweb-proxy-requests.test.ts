/**
 * What the DICOMweb proxy refuses, over a real loopback socket with raw request paths (no client
 * normalisation): other methods, paths outside the served resources, anything that is not a
 * DICOM UID or frame list, foreign query parameters, media types it cannot serve. None of them
 * may reach the PACS: a loopback server stands in for it and counts what arrives.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDicomwebProxy, parseProxyRoute } from '../../src/main/services/dicomweb-proxy/index.ts';
import { startProxyServer, type ProxyServer } from '../support/imaging-proxy-server.ts';

const STUDY = '2.25.1234';
const SERIES = '2.25.1234.1';
const INSTANCE = '2.25.1234.1.1';
const FRAMES = `/dicom-web/pacs/studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}/frames`;

let upstream: Server;
let upstreamPaths: string[] = [];
let upstreamConnections = 0;
/** Frame 5's second half waits for this: the test releases it once the viewer has the first half. */
let releaseFrame5: () => void = () => {};
const frame5Released = new Promise<void>((resolve) => (releaseFrame5 = resolve));
let server: ProxyServer;
const upstreamUrl = () => `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(port), method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const path = req.url ?? '';
    upstreamPaths.push(path);
    const base = `http://${req.headers.host}/dicom-web`;
    if (path.endsWith('/frames/5')) {
      res.writeHead(200, {
        'content-type': 'multipart/related; type="application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1"; boundary=abc',
      });
      res.write(`--abc\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\n${'a'.repeat(4096)}`);
      void frame5Released.then(() => res.end(`${'b'.repeat(4096)}\r\n--abc--\r\n`));
    } else if (path.endsWith('/frames/7')) {
      res
        .writeHead(200, { 'content-type': 'multipart/related; type="application/octet-stream"; boundary=abc' })
        .end('--abc\r\nContent-Type: x\r\n\r\nno closing boundary');
    } else if (path.endsWith('/frames/8')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('raw');
    } else if (path.includes('/series/9.9/metadata')) {
      res.writeHead(200, { 'content-type': 'application/dicom+json' }).end('{"not": "an array"');
    } else if (path.includes('/series/9.8/metadata')) {
      res.writeHead(200, { 'content-type': 'application/dicom+json' }).end(
        JSON.stringify([
          {
            '7FE00010': { vr: 'OB', BulkDataURI: `${base}/studies/${STUDY}/series/9.8/instances/9.8.1/bulk/7fe00010` },
            '00420011': { vr: 'OB', BulkDataURI: 'http://elsewhere.example/steal' },
            '00081190': { vr: 'UR', Value: [`${base}/studies/${STUDY}`, `http://u:p@${req.headers.host}/admin`] },
            '0040A730': { vr: 'SQ', Value: [{ '00081190': { vr: 'UR', Value: [`${base}/studies/${STUDY}/series/9.8`] } }] },
          },
        ]),
      );
    } else if (path.endsWith(`/series/${SERIES}/metadata`)) {
      // The series' instance list, which the proxy reads before serving an instance's frames.
      const uid = (value: string) => ({ vr: 'UI', Value: [value] });
      res
        .writeHead(200, { 'content-type': 'application/dicom+json' })
        .end(JSON.stringify([{ '0020000D': uid(STUDY), '0020000E': uid(SERIES), '00080018': uid(INSTANCE) }]));
    } else {
      res.writeHead(200, { 'content-type': 'application/dicom+json' }).end('[]');
    }
  });
  // As Orthanc does: "Keep-Alive: timeout=1", which made Node's fetch close every connection.
  upstream.keepAliveTimeout = 1000;
  upstream.on('connection', () => upstreamConnections++);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/dicom-web`;
  const proxy = createDicomwebProxy({
    sources: [
      {
        sourceId: 'pacs',
        endpoint: {
          sourceId: 'pacs',
          sourceName: 'PACS',
          baseUrl,
          auth: { type: 'basic', username: 'u', password: 'secret-pw' },
          timeoutMs: 2_000,
        },
      },
    ],
  });
  server = await startProxyServer(proxy);
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
});

describe('DICOMweb proxy: requests it refuses', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s is 405 with Allow: GET, HEAD', async (method) => {
    const got = await send(method, `/dicom-web/pacs/studies/${STUDY}/series`);
    expect(got.status).toBe(405);
    expect(got.headers.allow).toBe('GET, HEAD');
  });

  it.each([
    ['an encoded slash in a UID', `/dicom-web/pacs/studies/${STUDY}%2F..%2F..%2Finstances/series`],
    ['encoded dot segments', `/dicom-web/pacs/studies/${STUDY}/series/%2e%2e%2f%2e%2e/metadata`],
    ['a shell-ish UID', `/dicom-web/pacs/studies/1.2;rm%20-rf/series`],
    ['letters in a UID', `/dicom-web/pacs/studies/1.2.abc/series`],
    ['an empty UID component', `/dicom-web/pacs/studies/1..2/series`],
    ['a UID starting with a dot', `/dicom-web/pacs/studies/.1.2/series`],
    ['a 65-character UID', `/dicom-web/pacs/studies/${'1.'.repeat(32)}1/series`],
    ['an empty segment', `/dicom-web/pacs/studies//series`],
    ['a bad SOP Instance UID', `/dicom-web/pacs/studies/${STUDY}/series/${SERIES}/instances/x/frames/1`],
    ['frame 0', `${FRAMES}/0`],
    ['a negative frame', `${FRAMES}/-1`],
    ['an empty frame in a list', `${FRAMES}/1,,2`],
    ['a frame that is not a number', `${FRAMES}/one`],
    ['a query on a WADO-RS path', `${FRAMES}/1?url=http://elsewhere/`],
    ['an unsupported QIDO parameter', `/dicom-web/pacs/studies/${STUDY}/series?PatientName=*`],
    ['a non-numeric limit', `/dicom-web/pacs/studies/${STUDY}/series?limit=ten`],
    ['a bad includefield', `/dicom-web/pacs/studies/${STUDY}/series?includefield=0010,0010%27`],
    ['a source id with odd characters', `/dicom-web/pa$cs/studies/${STUDY}/series`],
    ['a bulk path that is not tags', `/dicom-web/pacs/studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}/bulk/passwd`],
    ['a non-ASCII segment', `/dicom-web/pacs/studies/${STUDY}/series/%E5%BC%A0/metadata`],
  ])('%s is 400', async (_what, path) => {
    const got = await send('GET', path);
    expect(got.status).toBe(400);
    expect(got.headers['content-type']).toMatch(/^text\/plain/);
  });

  it.each([
    ['a path outside the mount', `/api/openPatient`],
    ['an unknown source', `/dicom-web/other/studies/${STUDY}/series`],
    ['all studies (QIDO without a study)', `/dicom-web/pacs/studies`],
    ['patients', `/dicom-web/pacs/patients/1.2`],
    ['a rendered image', `/dicom-web/pacs/studies/${STUDY}/series/${SERIES}/rendered`],
    ['a thumbnail', `/dicom-web/pacs/studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}/thumbnail`],
    ['frames without numbers', `${FRAMES}`],
    // The host normalises ".." before routing: the path lands outside the proxy's prefix.
    ['a traversal out of the mount', `/dicom-web/pacs/studies/${STUDY}/../../../etc/passwd`],
  ])('%s is 404', async (_what, path) => {
    expect((await send('GET', path)).status).toBe(404);
  });

  it.each([
    ['metadata as XML', `/dicom-web/pacs/studies/${STUDY}/series/${SERIES}/metadata`, 'multipart/related; type="application/dicom+xml"'],
    ['frames as JSON', `${FRAMES}/1`, 'application/dicom+json'],
    ['frames as a single JPEG', `${FRAMES}/1`, 'image/jpeg'],
  ])('%s is 406', async (_what, path, accept) => {
    expect((await send('GET', path, { accept })).status).toBe(406);
  });

  it('none of the refused requests reached the PACS', () => {
    expect(upstreamPaths).toEqual([]);
  });

  it('forwards an accepted request with the credentials only towards the PACS, and a canonical query', async () => {
    upstreamPaths = [];
    const got = await send('GET', `/dicom-web/pacs/studies/${STUDY}/series?limit=5&includefield=0008103E`);
    expect(got.status).toBe(200);
    expect(got.headers['x-huizhen-cache']).toBe('bypass');
    expect(upstreamPaths).toEqual([`/dicom-web/studies/${STUDY}/series?includefield=0008103E&limit=5`]);
    expect(JSON.stringify(got)).not.toContain('secret-pw');
  });

  it('keeps its connection to a PACS that allows keep-alive for only a second', async () => {
    const before = upstreamConnections;
    for (let i = 0; i < 5; i++) expect((await send('GET', `/dicom-web/pacs/studies/${STUDY}/series?limit=${i + 1}`)).status).toBe(200);
    expect(upstreamConnections - before).toBeLessThanOrEqual(2);
  });

  it('rewrites URLs under the PACS root onto the proxy and drops any other URL, in sequences too', async () => {
    const got = await send('GET', `/dicom-web/pacs/studies/${STUDY}/series/9.8/metadata`);
    expect(got.status).toBe(200);
    const [dataset] = JSON.parse(got.body) as Record<string, { BulkDataURI?: string; Value?: unknown[] }>[];
    expect(dataset!['7FE00010']!.BulkDataURI).toBe(
      `${server.origin}/dicom-web/pacs/studies/${STUDY}/series/9.8/instances/9.8.1/bulk/7fe00010`,
    );
    expect(dataset!['00420011']!.BulkDataURI).toBeUndefined();
    expect(dataset!['00081190']!.Value).toEqual([`${server.origin}/dicom-web/pacs/studies/${STUDY}`]);
    expect(JSON.stringify(dataset!['0040A730'])).toContain(`${server.origin}/dicom-web/pacs/studies/${STUDY}/series/9.8`);
    expect(got.body).not.toContain(new URL(upstreamUrl()).host);
  });

  it('passes a frame on while the PACS is still sending it', async () => {
    const response = await fetch(`${server.origin}${FRAMES}/5`, { headers: { accept: 'application/octet-stream; transfer-syntax=*' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    const reader = response.body!.getReader();
    let received = '';
    // The PACS holds back the frame's second half until the viewer has the first (less the few
    // bytes the proxy keeps in case they begin the closing boundary).
    while (received.length < 4000) received += Buffer.from((await reader.read()).value!).toString('latin1');
    expect('a'.repeat(4096).startsWith(received)).toBe(true);
    releaseFrame5();
    for (let next = await reader.read(); !next.done; next = await reader.read()) received += Buffer.from(next.value).toString('latin1');
    expect(received).toBe(`${'a'.repeat(4096)}${'b'.repeat(4096)}`);
  });

  it('cuts the answer when a multipart frame breaks off after it started (its status is already sent)', async () => {
    const response = await fetch(`${server.origin}${FRAMES}/7`);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  it.each([
    ['frames that are not multipart', `${FRAMES}/8`],
    ['metadata that is not a JSON array', `/dicom-web/pacs/studies/${STUDY}/series/9.9/metadata`],
  ])('a PACS answering %s is a 502 with a plain reason', async (_what, path) => {
    const got = await send('GET', path);
    expect(got.status).toBe(502);
    expect(got.body).toMatch(/PACS answered/);
  });

  it('a PACS that is not listening is a 502 that says so', async () => {
    const proxy = createDicomwebProxy({
      sources: [
        {
          sourceId: 'pacs',
          endpoint: {
            sourceId: 'pacs',
            sourceName: 'Dead PACS',
            baseUrl: 'http://127.0.0.1:9/dicom-web',
            auth: { type: 'none' },
            timeoutMs: 2_000,
          },
        },
      ],
    });
    const got = await proxy(new Request(`http://127.0.0.1/dicom-web/pacs/studies/${STUDY}/series`));
    expect(got.status).toBe(502);
    expect(await got.text()).toBe('Dead PACS cannot be reached\n');
    expect(got.headers.get('x-huizhen-error')).toBe('pacs-unreachable');
  });

  it('parses every served resource path', () => {
    const kinds = [
      `studies/${STUDY}/series`,
      `studies/${STUDY}/metadata`,
      `studies/${STUDY}/series/${SERIES}/metadata`,
      `studies/${STUDY}/series/${SERIES}/instances`,
      `studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}`,
      `studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}/metadata`,
      `studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}/frames/1,2,3`,
      `studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}/bulk/7FE00010`,
    ].map((path) => {
      const parsed = parseProxyRoute(new URL(`app://huizhen/dicom-web/pacs/${path}`), '/dicom-web/');
      return parsed.ok ? parsed.route.kind : parsed.message;
    });
    expect(kinds).toEqual([
      'search-series',
      'study-metadata',
      'series-metadata',
      'search-instances',
      'instance',
      'instance-metadata',
      'frames',
      'bulkdata',
    ]);
  });
});
