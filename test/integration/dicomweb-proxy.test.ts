/**
 * The DICOMweb proxy against the real demo PACS (Orthanc): cold from the PACS, warm from the
 * encrypted cache with the PACS stopped, a damaged cached blob falling back to the PACS, and the
 * PACS's address and credentials never reaching the viewer.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFromConfig } from '../../src/adapters/dicomweb/index.ts';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { type DicomwebProxy } from '../../src/main/services/dicomweb-proxy/dicomweb-proxy.ts';
import type { PlannedStudy, SampleSeries } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { tempCacheDir, testProtector } from '../support/cache-fixtures.ts';
import { parseMultipart, startProxyServer, type ProxyServer } from '../support/imaging-proxy-server.ts';
import { startTestPacs, type TestPacs } from '../support/pacs-orthanc.ts';

const FRAMES_ACCEPT = 'multipart/related; type=application/octet-stream; transfer-syntax=*';

let pacs: TestPacs;
let cache: CacheStore;
let cacheDir: { dir: string; cleanup: () => void };
let server: ProxyServer;
let pacsStopped = false;
const logLines: string[] = [];
/** Every header and body the proxy sent, to scan for the PACS's address and credentials. */
const seen: string[] = [];
let chestCt: PlannedStudy;
/** A study no open patient owns: the proxy serves it but must not cache it. */
let unowned: PlannedStudy;

interface Got {
  status: number;
  headers: Headers;
  body: Buffer;
}

async function get(path: string, accept?: string, method = 'GET'): Promise<Got> {
  const response = await fetch(`${server.origin}/dicom-web/pacs/${path}`, { method, headers: accept ? { accept } : {} });
  const body = Buffer.from(await response.arrayBuffer());
  response.headers.forEach((value, name) => seen.push(`${name}: ${value}`));
  seen.push(body.toString('latin1'));
  return { status: response.status, headers: response.headers, body };
}

async function direct(path: string, accept: string): Promise<{ contentType: string; body: Buffer }> {
  const { username, password } = pacs.pacs.credentials;
  const response = await fetch(`${pacs.pacs.dicomwebBaseUrl}/${path}`, {
    headers: { accept, authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  });
  expect(response.status).toBe(200);
  return { contentType: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
}

async function firstInstanceOf(studyUid: string, seriesUid: string): Promise<string> {
  const got = await get(`studies/${studyUid}/series/${seriesUid}/metadata`);
  expect(got.status).toBe(200);
  const datasets = JSON.parse(got.body.toString('utf8')) as Record<string, { Value?: unknown[] }>[];
  const uids = datasets.map((d) => String(d['00080018']?.Value?.[0])).sort();
  return uids[0]!;
}

function sampleSeries(): { study: PlannedStudy; series: SampleSeries }[] {
  return pacs.pacs.plan.studies.flatMap((study) =>
    study.series.filter((s): s is SampleSeries => s.kind === 'sample').map((series) => ({ study, series })),
  );
}

let proxy: DicomwebProxy;

beforeAll(async () => {
  pacs = await startTestPacs();
  cacheDir = tempCacheDir('dicomweb-proxy');
  cache = await openCacheStore({ directory: cacheDir.dir, protector: testProtector() });
  const studies = pacs.pacs.plan.studies;
  chestCt = studies.find((s) => s.series.some((se) => se.kind === 'ct-phantom'))!;
  unowned = studies.find((s) => s !== chestCt && s.patient.id !== chestCt.patient.id)!;
  proxy = createDicomwebProxy({
    sources: [{ sourceId: 'pacs', endpoint: endpointFromConfig(pacs.config) }],
    cache,
    patientKeyFor: (studyUid) => {
      const study = studies.find((s) => s.studyUid === studyUid);
      return study && study !== unowned ? `patient-${study.patient.id}` : undefined;
    },
    log: (line) => logLines.push(line),
  });
  server = await startProxyServer(proxy);
});

afterAll(async () => {
  await server?.close();
  if (!pacsStopped) await pacs?.pacs.stop();
  cache?.close();
  cacheDir?.cleanup();
});

describe('DICOMweb proxy over the demo PACS', () => {
  it('cold: lists a study’s series from the PACS with RetrieveURLs on the proxy', async () => {
    const got = await get(`studies/${chestCt.studyUid}/series`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/dicom+json');
    expect(got.headers.get('cache-control')).toBe('no-store');
    const series = JSON.parse(got.body.toString('utf8')) as Record<string, { Value?: unknown[] }>[];
    expect(series.map((s) => s['0020000E']?.Value?.[0]).sort()).toEqual(chestCt.series.map((s) => s.uid).sort());
    for (const s of series) {
      expect(String(s['00081190']?.Value?.[0])).toMatch(
        new RegExp(`^${server.origin}/dicom-web/pacs/studies/${chestCt.studyUid.replaceAll('.', '\\.')}/series/`),
      );
    }
  });

  it('cold: series metadata comes from the PACS, is cached, and its BulkDataURIs name the proxy', async () => {
    const ct = chestCt.series.find((s) => s.kind === 'ct-phantom')!;
    const got = await get(`studies/${chestCt.studyUid}/series/${ct.uid}/metadata`, 'application/dicom+json');
    expect(got.status).toBe(200);
    expect(got.headers.get('x-huizhen-cache')).toBe('miss');
    const datasets = JSON.parse(got.body.toString('utf8')) as Record<string, { BulkDataURI?: string }>[];
    expect(datasets).toHaveLength(12);
    for (const d of datasets)
      expect(d['7FE00010']?.BulkDataURI).toMatch(new RegExp(`^${server.origin}/dicom-web/pacs/studies/.+/bulk/7fe00010$`));

    const again = await get(`studies/${chestCt.studyUid}/series/${ct.uid}/metadata`);
    expect(again.headers.get('x-huizhen-cache')).toBe('hit');
    expect(again.body.equals(got.body)).toBe(true);
  });

  it('cold: frames keep their multipart framing, stored transfer syntax and bytes, for every codec', async () => {
    const samples = sampleSeries().filter(({ study }) => study !== unowned);
    expect(samples.length).toBeGreaterThan(3);
    const syntaxes = new Set<string>();
    for (const { study, series } of samples) {
      const instance = await firstInstanceOf(study.studyUid, series.uid);
      const path = `studies/${study.studyUid}/series/${series.uid}/instances/${instance}/frames/1`;
      const got = await get(path, FRAMES_ACCEPT);
      expect(got.status, path).toBe(200);
      const fromPacs = await direct(path, FRAMES_ACCEPT);
      // The media type asked for, the transfer syntax the PACS sent (Orthanc labels a JPEG 2000
      // part image/jp2: the frame is shared with the viewer's single-part form, frame-as-multipart.ts).
      const syntaxOf = (contentType: string | undefined) => /transfer-syntax=([0-9.]+)/.exec(contentType ?? '')?.[1];
      const proxied = parseMultipart(got.headers.get('content-type')!, got.body);
      const original = parseMultipart(fromPacs.contentType, fromPacs.body);
      expect(proxied).toHaveLength(1);
      expect(proxied[0]!.body.equals(original[0]!.body)).toBe(true);
      expect(proxied[0]!.headers['content-type']).toBe(
        `application/octet-stream; transfer-syntax=${syntaxOf(original[0]!.headers['content-type'])}`,
      );
      expect(syntaxOf(got.headers.get('content-type')!)).toBe(syntaxOf(fromPacs.contentType));
      // Path-absolute: the answer is kept as served, the same bytes for either host's origin.
      expect(proxied[0]!.headers['content-location']).toBe(`/dicom-web/pacs/${path}`);
      syntaxes.add(/transfer-syntax=([0-9.]+)/.exec(fromPacs.contentType)?.[1] ?? 'none');
    }
    // JPEG 2000, JPEG-LS, RLE, JPEG baseline, explicit little endian… each kept as stored.
    expect(syntaxes.size).toBeGreaterThanOrEqual(4);
  });

  it('serves several frames in one multipart answer, a whole instance, and HEAD without a body', async () => {
    const ct = chestCt.series.find((s) => s.kind === 'ct-phantom')!;
    const instance = await firstInstanceOf(chestCt.studyUid, ct.uid);
    const base = `studies/${chestCt.studyUid}/series/${ct.uid}/instances/${instance}`;
    const two = await get(`${base}/frames/1,1`, FRAMES_ACCEPT);
    expect(two.status).toBe(200);
    expect(parseMultipart(two.headers.get('content-type')!, two.body)).toHaveLength(2);

    const whole = await get(base, 'multipart/related; type="application/dicom"; transfer-syntax=*');
    expect(whole.status).toBe(200);
    const [part] = parseMultipart(whole.headers.get('content-type')!, whole.body);
    expect(part!.body.subarray(128, 132).toString('latin1')).toBe('DICM');

    const head = await get(`${base}/frames/1`, FRAMES_ACCEPT, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(64 * 64 * 2);

    const bulk = await get(`${base}/bulk/7fe00010`);
    expect(bulk.status).toBe(200);
    expect(bulk.headers.get('content-type')).toMatch(/^multipart\/related/);
  });

  it('passes the PACS’s refusals on as its own statuses, never its error bodies', async () => {
    const ct = chestCt.series.find((s) => s.kind === 'ct-phantom')!;
    const instance = await firstInstanceOf(chestCt.studyUid, ct.uid);
    const beyond = await get(`studies/${chestCt.studyUid}/series/${ct.uid}/instances/${instance}/frames/9`, FRAMES_ACCEPT);
    expect(beyond.status).toBe(404);
    expect(beyond.body.toString()).not.toMatch(/Orthanc|HttpError/);
    // A code for the viewer to word, and the PACS's own status.
    expect(beyond.headers.get('x-huizhen-error')).toBe('pacs-not-found');
    expect(beyond.headers.get('x-huizhen-pacs-status')).toBe('400');
    const missing = await get(`studies/${chestCt.studyUid}/series/1.2.3.4/metadata`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-huizhen-error')).toBe('pacs-not-found');
    const wrongType = await get(`studies/${chestCt.studyUid}/series/${ct.uid}/metadata`, 'multipart/related; type="application/dicom+xml"');
    expect(wrongType.status).toBe(406);
    expect(wrongType.headers.get('x-huizhen-error')).toBe('not-acceptable');
  });

  it('does not cache studies that no open patient owns', async () => {
    const series = unowned.series[0]!;
    // Earlier answers may still be on their way into the cache (the viewer gets them first).
    await proxy.settled();
    const before = cache.stats().blobs;
    const got = await get(`studies/${unowned.studyUid}/series/${series.uid}/metadata`);
    expect(got.status).toBe(200);
    expect(got.headers.get('x-huizhen-cache')).toBe('bypass');
    expect(cache.stats().blobs).toBe(before);
  });

  it('a tampered cached blob falls back to the PACS and is cached again', async () => {
    const ct = chestCt.series.find((s) => s.kind === 'ct-phantom')!;
    const instance = await firstInstanceOf(chestCt.studyUid, ct.uid);
    const path = `studies/${chestCt.studyUid}/series/${ct.uid}/instances/${instance}/frames/1`;
    const first = await get(path, FRAMES_ACCEPT);
    expect(['hit', 'miss']).toContain(first.headers.get('x-huizhen-cache'));
    expect((await get(path, FRAMES_ACCEPT)).headers.get('x-huizhen-cache')).toBe('hit');

    // Flip one byte in the middle of every blob file: authenticated decryption must refuse them.
    const blobDir = join(cacheDir.dir, 'blobs');
    for (const sub of readdirSync(blobDir)) {
      for (const file of readdirSync(join(blobDir, sub))) {
        const full = join(blobDir, sub, file);
        const bytes = readFileSync(full);
        bytes[bytes.length >> 1]! ^= 0x5a;
        writeFileSync(full, bytes);
      }
    }
    const logged = logLines.length;
    const refetched = await get(path, FRAMES_ACCEPT);
    expect(refetched.status).toBe(200);
    expect(refetched.headers.get('x-huizhen-cache')).toBe('refetched');
    expect(refetched.body.length).toBe(first.body.length);
    expect(logLines.slice(logged).join('\n')).toMatch(/cached answer unusable \((tampered|corrupt)\)/);
    expect((await get(path, FRAMES_ACCEPT)).headers.get('x-huizhen-cache')).toBe('hit');
  });

  it('cold frames are cached behind their answers: one asked again at once is read from the cache once stored', async () => {
    const ct = chestCt.series.find((s) => s.kind === 'ct-phantom')!;
    const metadata = JSON.parse((await get(`studies/${chestCt.studyUid}/series/${ct.uid}/metadata`)).body.toString('utf8')) as Record<
      string,
      { Value?: unknown[] }
    >[];
    const paths = metadata.map(
      (d) => `studies/${chestCt.studyUid}/series/${ct.uid}/instances/${String(d['00080018']?.Value?.[0])}/frames/1`,
    );
    // Every frame at once (the stores wait while frames stream), and the last one twice.
    const [again, ...firsts] = await Promise.all([get(paths.at(-1)!, FRAMES_ACCEPT), ...paths.map((p) => get(p, FRAMES_ACCEPT))]);
    for (const first of firsts) expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.equals(firsts.at(-1)!.body)).toBe(true);
    await proxy.settled();
    for (const [i, path] of paths.entries()) {
      const hit = await get(path, FRAMES_ACCEPT);
      expect(hit.headers.get('x-huizhen-cache')).toBe('hit');
      expect(hit.body.equals(firsts[i]!.body)).toBe(true);
    }
  });

  it('warm: with the PACS stopped, everything opened before reads from the cache', async () => {
    const ct = chestCt.series.find((s) => s.kind === 'ct-phantom')!;
    const metadataPath = `studies/${chestCt.studyUid}/series/${ct.uid}/metadata`;
    const metadata = JSON.parse((await get(metadataPath)).body.toString('utf8')) as Record<string, { Value?: unknown[] }>[];
    const instances = metadata.map((d) => String(d['00080018']?.Value?.[0]));
    for (const instance of instances) {
      expect((await get(`studies/${chestCt.studyUid}/series/${ct.uid}/instances/${instance}/frames/1`, FRAMES_ACCEPT)).status).toBe(200);
    }
    expect((await get(`studies/${chestCt.studyUid}/series`)).status).toBe(200);
    const frameBefore = await get(`studies/${chestCt.studyUid}/series/${ct.uid}/instances/${instances[0]}/frames/1`, FRAMES_ACCEPT);

    await pacs.pacs.stop();
    pacsStopped = true;

    const warmMetadata = await get(metadataPath);
    expect(warmMetadata.status).toBe(200);
    expect(warmMetadata.headers.get('x-huizhen-cache')).toBe('hit');
    for (const instance of instances) {
      const frame = await get(`studies/${chestCt.studyUid}/series/${ct.uid}/instances/${instance}/frames/1`, FRAMES_ACCEPT);
      expect(frame.status).toBe(200);
      expect(frame.headers.get('x-huizhen-cache')).toBe('hit');
    }
    const frameAfter = await get(`studies/${chestCt.studyUid}/series/${ct.uid}/instances/${instances[0]}/frames/1`, FRAMES_ACCEPT);
    expect(
      parseMultipart(frameAfter.headers.get('content-type')!, frameAfter.body)[0]!.body.equals(
        parseMultipart(frameBefore.headers.get('content-type')!, frameBefore.body)[0]!.body,
      ),
    ).toBe(true);

    // Searches go to the PACS first; when it is down, the last answer, marked stale.
    const series = await get(`studies/${chestCt.studyUid}/series`);
    expect(series.status).toBe(200);
    expect(series.headers.get('x-huizhen-cache')).toBe('stale');

    // What was never fetched is a clear gateway error, not a hang.
    const never = await get(`studies/${unowned.studyUid}/series`);
    expect(never.status).toBe(502);
    expect(never.body.toString()).toMatch(/cannot be reached/);
  });

  it('never shows the PACS’s address or credentials in any response', () => {
    const { username, password } = pacs.pacs.credentials;
    const everything = seen.join('\n');
    expect(seen.length).toBeGreaterThan(50);
    const pacsHost = new URL(pacs.pacs.dicomwebBaseUrl).host;
    expect(everything).not.toContain(pacsHost);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(Buffer.from(`${username}:${password}`).toString('base64'));
    expect(everything.toLowerCase()).not.toContain('authorization');
  });
});
