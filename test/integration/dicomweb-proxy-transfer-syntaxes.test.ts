/**
 * The proxy against a real Orthanc holding pydicom's test files: frames asked uncompressed
 * (no gzip of pixel data), stored transfer syntaxes kept, and frames Orthanc 1.10 refuses to
 * send "as stored" (Explicit VR Big Endian, Deflated: HTTP 500 for transfer-syntax=*) asked
 * once more as Explicit VR Little Endian, then cached in the form they are served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomwebEndpoint } from '../../src/adapters/dicomweb/index.ts';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { tempCacheDir, testProtector } from '../support/cache-fixtures.ts';
import { parseMultipart, startProxyServer, type ProxyServer } from '../support/imaging-proxy-server.ts';
import { startTestFilesPacs, type StoredTestFile, type TestFilesPacs } from '../support/pacs-test-files.ts';
import { startRecordingForwarder, type RecordingForwarder } from '../support/recording-forwarder.ts';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const ANY = 'multipart/related; type=application/octet-stream; transfer-syntax=*';
const FILES = ['MR_small.dcm', 'MR_small_bigendian.dcm', 'image_dfl.dcm', 'MR_small_jpeg_ls_lossless.dcm'] as const;

let pacs: TestFilesPacs;
let forwarder: RecordingForwarder;
let cache: CacheStore;
let cacheDir: { dir: string; cleanup: () => void };
let server: ProxyServer;
const logLines: string[] = [];

function stored(name: (typeof FILES)[number]): StoredTestFile {
  return pacs.files.get(name)!;
}

async function viaProxy(path: string, accept = ANY): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(`${server.origin}/dicom-web/pacs/${path}`, { headers: { accept } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

async function direct(path: string, accept: string): Promise<{ status: number; contentType: string; body: Buffer }> {
  const response = await fetch(`${pacs.orthanc.dicomwebBaseUrl}/${path}`, {
    headers: { accept, authorization: pacs.authorization, 'accept-encoding': 'identity' },
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

function forwardedFor(path: string) {
  return forwarder.requests.filter((r) => r.path === `/dicom-web/${path}`);
}

beforeAll(async () => {
  pacs = await startTestFilesPacs(FILES);
  forwarder = await startRecordingForwarder(pacs.orthanc.httpUrl);
  cacheDir = tempCacheDir('dicomweb-syntaxes');
  cache = await openCacheStore({ directory: cacheDir.dir, protector: testProtector() });
  const endpoint: DicomwebEndpoint = {
    sourceId: 'pacs',
    sourceName: 'Test PACS',
    baseUrl: `${forwarder.origin}/dicom-web`,
    auth: { type: 'basic', username: pacs.orthanc.credentials.username, password: pacs.orthanc.credentials.password },
    timeoutMs: 20_000,
  };
  const proxy = createDicomwebProxy({
    sources: [{ sourceId: 'pacs', endpoint }],
    cache,
    patientKeyFor: () => 'patient-testfiles',
    log: (line) => logLines.push(line),
  });
  server = await startProxyServer(proxy);
  // As a viewer opens a series: its metadata first, which lists the instances whose frames the proxy may serve.
  for (const name of FILES) {
    const metadata = await fetch(`${server.origin}/dicom-web/pacs/${stored(name).framePath.replace(/\/instances\/.*$/, '/metadata')}`);
    expect(metadata.status).toBe(200);
    await metadata.arrayBuffer();
  }
});

afterAll(async () => {
  await server?.close();
  await forwarder?.close();
  await pacs?.stop();
  cache?.close();
  cacheDir?.cleanup();
});

describe('DICOMweb proxy: transfer syntaxes against a real Orthanc (pydicom test files)', () => {
  it('asks the PACS for frames with accept-encoding: identity, so Orthanc does not gzip pixel data', async () => {
    const file = stored('MR_small.dcm');
    const got = await viaProxy(file.framePath);
    expect(got.status).toBe(200);
    const asked = forwardedFor(file.framePath);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.headers['accept-encoding']).toBe('identity');
    expect(asked[0]!.headers.accept).toBe('multipart/related; type="application/octet-stream"; transfer-syntax=*');
    expect(asked[0]!.contentEncoding).toBeUndefined();
    // Without it (Node's fetch default), Orthanc compresses the same frame.
    const gz = await fetch(`${pacs.orthanc.dicomwebBaseUrl}/${file.framePath}`, {
      headers: { accept: ANY, authorization: pacs.authorization },
    });
    await gz.arrayBuffer();
    expect(gz.headers.get('content-encoding')).toBe('gzip');
  });

  it('keeps a compressed stored syntax (JPEG-LS) as stored, asked once', async () => {
    const file = stored('MR_small_jpeg_ls_lossless.dcm');
    const got = await viaProxy(file.framePath);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toContain(`transfer-syntax=${file.transferSyntaxUid}`);
    expect(forwardedFor(file.framePath)).toHaveLength(1);
    const fromPacs = await direct(file.framePath, ANY);
    expect(
      parseMultipart(got.headers.get('content-type')!, got.body)[0]!.body.equals(
        parseMultipart(fromPacs.contentType, fromPacs.body)[0]!.body,
      ),
    ).toBe(true);
  });

  for (const name of ['MR_small_bigendian.dcm', 'image_dfl.dcm'] as const) {
    it(`${name}: the PACS answers 500 to transfer-syntax=*; the proxy asks once more as Explicit VR Little Endian`, async () => {
      const file = stored(name);
      expect(file.transferSyntaxUid).not.toBe(EXPLICIT_LE);
      expect((await direct(file.framePath, ANY)).status).toBeGreaterThanOrEqual(500);

      const got = await viaProxy(file.framePath);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toContain(`transfer-syntax=${EXPLICIT_LE}`);
      expect(got.headers.get('x-huizhen-cache')).toBe('miss');
      const asked = forwardedFor(file.framePath);
      expect(asked.map((r) => r.status)).toEqual([500, 200]);
      expect(asked[0]!.headers.accept).toContain('transfer-syntax=*');
      expect(asked[1]!.headers.accept).toContain(`transfer-syntax=${EXPLICIT_LE}`);
      expect(logLines.some((l) => l.includes('asking for Explicit VR Little Endian'))).toBe(true);

      // The pixels are exactly what the PACS sends when asked for that syntax directly.
      const expected = await direct(file.framePath, `multipart/related; type=application/octet-stream; transfer-syntax=${EXPLICIT_LE}`);
      const part = parseMultipart(got.headers.get('content-type')!, got.body);
      expect(part).toHaveLength(1);
      expect(part[0]!.body.equals(parseMultipart(expected.contentType, expected.body)[0]!.body)).toBe(true);
      expect(part[0]!.headers['content-location']).toBe(`/dicom-web/pacs/${file.framePath}`);

      // Cached as served: the next request is a hit with the same bytes and never reaches the PACS.
      const again = await viaProxy(file.framePath);
      expect(again.headers.get('x-huizhen-cache')).toBe('hit');
      expect(again.body.equals(got.body)).toBe(true);
      expect(again.headers.get('content-type')).toBe(got.headers.get('content-type'));
      expect(forwardedFor(file.framePath)).toHaveLength(2);
    });
  }

  it('one frame asked as application/octet-stream comes back single-part, its transfer syntax named, from the entry the multipart form filled', async () => {
    const single = 'application/octet-stream; transfer-syntax=*, multipart/related; type="application/octet-stream"; transfer-syntax=*';
    for (const [name, syntax] of [
      ['MR_small_jpeg_ls_lossless.dcm', stored('MR_small_jpeg_ls_lossless.dcm').transferSyntaxUid],
      ['MR_small_bigendian.dcm', EXPLICIT_LE],
    ] as const) {
      const file = stored(name);
      const seriesPath = file.framePath.replace(/\/instances\/.*$/, '');
      // Asked as stored in multipart form (the tests above): one cache entry serves both forms.
      const multipart = await viaProxy(file.framePath);
      expect(multipart.headers.get('x-huizhen-cache')).toBe('hit');
      const asked = forwardedFor(file.framePath).length;
      const askedSeries = forwardedFor(seriesPath).length;
      const got = await viaProxy(file.framePath, single);
      expect(got.status).toBe(200);
      expect(got.headers.get('x-huizhen-cache')).toBe('hit');
      expect(got.headers.get('content-type')).toBe(`application/octet-stream; transfer-syntax=${syntax}`);
      // The bytes of the frame alone: exactly the multipart answer's one part.
      expect(got.body.equals(parseMultipart(multipart.headers.get('content-type')!, multipart.body)[0]!.body)).toBe(true);
      expect(forwardedFor(seriesPath).length + forwardedFor(file.framePath).length).toBe(askedSeries + asked);
    }
    // Several frames in one request stay multipart whatever the Accept says.
    const many = await viaProxy(stored('MR_small.dcm').framePath.replace(/frames\/1$/, 'frames/1,1'), single);
    expect(many.headers.get('content-type') ?? '').toMatch(/^multipart\/related/);
  });

  it('does not retry what is not a refusal of the syntax: a frame the instance lacks stays a 404, asked once', async () => {
    const file = stored('MR_small.dcm');
    const missing = file.framePath.replace(/frames\/1$/, 'frames/9');
    const got = await viaProxy(missing);
    expect(got.status).toBe(404);
    expect(forwardedFor(missing)).toHaveLength(1);
  });
});
