/**
 * Issue 18's proxy figures: the 200 frames of the demo's 512² CT fetched through the app's
 * DICOMweb proxy (over real HTTP, bridged as the browser host bridges it), each against its
 * floor measured in the same run with the same client and the same requests in flight:
 *   cold (empty encrypted cache, frames from Orthanc) vs Orthanc answering directly;
 *   warm (every frame from the encrypted cache) vs the same served bytes from plain files.
 * HUIZHEN_BENCH_MAIN=<checkout> adds a cold pass of that checkout's proxy (e.g. /work/main, the
 * code before this work) to every run, between this proxy's, as a before/after figure.
 * "Series read-ahead" is the viewer's whole cold open: the series' metadata (which starts the
 * proxy's one whole-series retrieve) and then the 200 frames single-part, against 200 direct
 * frame requests measured just before it.
 * Cold passes are timed until the client has every frame; "until cached" adds the wait for the
 * copies the proxy writes behind its answers, and the warm pass starts after it.
 * The floor under the cold figure, measured in the same runs: a bare node:http pipe to Orthanc
 * in this process (no Fetch bridge, no parsing, no cache) — the least any proxy here adds —
 * with this process's and Orthanc's CPU per pass (the client, the proxy and Orthanc share the cores).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointFromConfig } from '../../src/adapters/dicomweb/dicomweb-transport.ts';
import type { PlannedSeries } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { isDemoPacsUnavailable, startDemoPacs } from '../../src/demo-hospital/pacs/start-demo-pacs.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { createPassphraseKeyProtector, openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { type DicomwebProxy, type DicomwebProxyOptions } from '../../src/main/services/dicomweb-proxy/dicomweb-proxy.ts';
import { DicomwebSourceConfigSchema } from '../../src/shared/config/sources/dicomweb.ts';
import type { BenchSuite, Figure } from '../measure.ts';
import { startProxyServer } from '../../test/support/imaging-proxy-server.ts';
import { startClientProcess, type ClientPass, type ClientResult } from '../support/http-client-process.ts';

/** What Cornerstone's WADO-RS loader sends for a frame. */
const FRAME_ACCEPT = 'multipart/related; type=application/octet-stream; transfer-syntax=*';
/** What the app's viewer asks first (features/imaging/cornerstone-setup.ts): one frame, single-part. */
const SINGLE_PART_ACCEPT = `application/octet-stream; transfer-syntax=*, ${FRAME_ACCEPT}`;
/** The whole series in one WADO-RS request: every instance as a DICOM file, as stored. */
const SERIES_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';
/** Requests in flight at once: Chromium's limit per host over HTTP/1.1. */
const IN_FLIGHT = 6;
const RUNS = 3;

/** A process's CPU time so far in ms (Linux /proc), undefined where it cannot be read. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * The least a proxy in this process can add: each request forwarded to Orthanc over kept
 * connections and its answer piped back as it arrives, nothing parsed, copied or cached.
 */
async function startBarePipe(pacsBaseUrl: string, authorization: string): Promise<{ origin: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, timeout: 500 });
  const server = createServer((req, res) => {
    const upstream = httpRequest(`${pacsBaseUrl}/${(req.url ?? '/').slice('/p/'.length)}`, {
      agent,
      headers: { accept: req.headers.accept ?? '*/*', authorization, 'accept-encoding': 'identity' },
    });
    upstream.on('response', (answer: IncomingMessage) => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/octet-stream' });
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    upstream.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const dicomwebProxy: BenchSuite = {
  name: 'DICOMweb proxy: 200 CT frames cold vs Orthanc direct, warm vs plain files',
  async run() {
    const pacs = await startDemoPacs(generateSyntheticHospital(), { profile: 'full' });
    if (isDemoPacsUnavailable(pacs)) throw new Error(pacs.unavailable);
    const work = mkdtempSync(join(tmpdir(), 'huizhen-bench-proxy-'));
    const closers: (() => Promise<void> | void)[] = [];
    try {
      const config = DicomwebSourceConfigSchema.parse({ ...pacs.sourceConfig, resilience: { timeoutMs: 300_000, retries: 0 } });
      const endpoint = endpointFromConfig(config);
      const is200 = (se: PlannedSeries): boolean => se.kind === 'ct-phantom' && se.slices === 200;
      const study = pacs.plan.studies.find((s) => s.series.some(is200));
      if (!study) throw new Error('the demo PACS has no 200-slice CT');
      const series = study.series.find(is200)!;
      const authorization = `Basic ${Buffer.from(`${pacs.credentials.username}:${pacs.credentials.password}`).toString('base64')}`;
      const metadata = (await (
        await fetch(`${pacs.dicomwebBaseUrl}/studies/${study.studyUid}/series/${series.uid}/metadata`, {
          headers: { accept: 'application/dicom+json', authorization },
        })
      ).json()) as Record<string, { Value?: unknown[] }>[];
      const paths = metadata.map(
        (d) => `studies/${study.studyUid}/series/${series.uid}/instances/${String(d['00080018']?.Value?.[0])}/frames/1`,
      );
      if (paths.length !== 200) throw new Error(`expected 200 instances, got ${paths.length}`);

      // Every pass goes through the same client, in a process of its own (bench/support/http-client-process.ts).
      const client = startClientProcess();
      closers.push(() => client.close());
      /** A pass's wall time and each party's CPU over it: the client's, this process's (the proxy's) and Orthanc's. */
      const measured = async (pass: ClientPass): Promise<ClientResult & { hostCpuMs: number; orthancMs: number | undefined }> => {
        const cpu = process.cpuUsage();
        const orthancBefore = processCpuMs(pacs.pid);
        const result = await client.run(pass);
        const used = process.cpuUsage(cpu);
        const orthancMs = orthancBefore === undefined ? undefined : (processCpuMs(pacs.pid) ?? orthancBefore) - orthancBefore;
        return { ...result, hostCpuMs: (used.user + used.system) / 1000, orthancMs };
      };
      const frames = (urls: readonly string[], headers: Record<string, string>, extra: Partial<ClientPass> = {}) =>
        measured({ urls, headers, inFlight: IN_FLIGHT, ...extra });

      // Orthanc directly, as a well-behaved client asks it (uncompressed transfer).
      const directUrls = paths.map((p) => `${pacs.dicomwebBaseUrl}/${p}`);
      const direct = () => frames(directUrls, { accept: FRAME_ACCEPT, authorization, 'accept-encoding': 'identity' });

      // A low scrypt cost: unlocking the cache is not what is measured here.
      const protector = createPassphraseKeyProtector('bench passphrase 汇诊 — not a secret', { log2Cost: 10 });
      let n = 0;
      /** A proxy over a new, empty encrypted cache, behind real HTTP. */
      const freshProxy = async (create: (options: DicomwebProxyOptions) => DicomwebProxy = createDicomwebProxy) => {
        const cache: CacheStore = await openCacheStore({ directory: join(work, `cache-${++n}`), protector });
        const handler = create({ sources: [{ sourceId: 'pacs', endpoint }], cache, patientKeyFor: () => 'patient-bench' });
        const server = await startProxyServer(handler);
        closers.push(
          () => server.close(),
          () => cache.close(),
        );
        return {
          urls: paths.map((p) => `${server.origin}/dicom-web/pacs/${p}`),
          metadataUrl: `${server.origin}/dicom-web/pacs/studies/${study.studyUid}/series/${series.uid}/metadata`,
          settled: () => handler.settled(),
        };
      };
      /** A cold pass, then the time until its answers are in the cache (written behind the answers). */
      const coldPass = async (proxy: Awaited<ReturnType<typeof freshProxy>>, accept: string, tolerate = false) => {
        const cpu = process.cpuUsage();
        const cold = await frames(proxy.urls, { accept }, { tolerate });
        const t = performance.now();
        await proxy.settled();
        const used = process.cpuUsage(cpu);
        return { ...cold, cachedMs: cold.ms + performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
      };
      const pipe = await startBarePipe(pacs.dicomwebBaseUrl, authorization);
      closers.push(() => pipe.close());
      const pipeUrls = paths.map((p) => `${pipe.origin}/p/${p}`);
      const pipeMs: number[] = [];
      /** Per pass: client / this process / Orthanc CPU, ms. */
      const cpuOf: Record<'direct' | 'pipe' | 'cold' | 'viewer' | 'paired', string[]> = {
        direct: [],
        pipe: [],
        cold: [],
        viewer: [],
        paired: [],
      };
      const parties = (r: { clientCpuMs: number; hostCpuMs: number; orthancMs: number | undefined }) =>
        `${Math.round(r.clientCpuMs)}+${Math.round(r.hostCpuMs)}+${r.orthancMs === undefined ? '?' : Math.round(r.orthancMs)}`;
      const before = process.env.HUIZHEN_BENCH_MAIN;
      const old = before
        ? ((await import(join(before, 'src/main/services/dicomweb-proxy/index.ts'))) as {
            createDicomwebProxy: (options: DicomwebProxyOptions) => DicomwebProxy;
          })
        : undefined;
      const oldColdMs: number[] = [];
      const oldCachedMs: number[] = [];
      const oldCpuMs: number[] = [];
      let oldFailed = 0;

      const directMs: number[] = [];
      const coldMs: number[] = [];
      const cachedMs: number[] = [];
      const coldCpuMs: number[] = [];
      const warmMs: number[] = [];
      let bytes = 0;
      const servedDir = join(work, 'served');
      mkdirSync(servedDir);
      await direct(); // Orthanc's own caches warm, as they are for the proxy's passes below
      // Direct, this proxy and (with HUIZHEN_BENCH_MAIN) that checkout's proxy in turn, so that
      // each run's three figures share the same minutes of machine load.
      await frames(pipeUrls, { accept: FRAME_ACCEPT }); // the pipe's connections and code warm
      for (let i = 0; i < RUNS; i++) {
        const straight = await direct();
        directMs.push(straight.ms);
        cpuOf.direct.push(parties(straight));
        const piped = await frames(pipeUrls, { accept: FRAME_ACCEPT });
        pipeMs.push(piped.ms);
        cpuOf.pipe.push(parties(piped));
        const proxy = await freshProxy();
        const cold = await coldPass(proxy, FRAME_ACCEPT);
        coldMs.push(cold.ms);
        cachedMs.push(cold.cachedMs);
        coldCpuMs.push(cold.cpuMs);
        cpuOf.cold.push(parties(cold));
        bytes = cold.bytes;
        if (old) {
          // The old proxy sometimes fails a frame cold (502): counted, not fatal.
          const oldCold = await coldPass(await freshProxy(old.createDicomwebProxy), FRAME_ACCEPT, true);
          oldColdMs.push(oldCold.ms);
          oldCachedMs.push(oldCold.cachedMs);
          oldCpuMs.push(oldCold.cpuMs);
          oldFailed += oldCold.failed;
        }
        const warm = await frames(proxy.urls, { accept: FRAME_ACCEPT }, i === RUNS - 1 ? { saveDir: servedDir } : {});
        warmMs.push(warm.ms);
      }

      // The same served bytes from plain files, served by a plain Node HTTP server.
      const files = new Map<string, string>(paths.map((_, i) => [`/f/${i}`, join(servedDir, `frame-${i}.bin`)]));
      const contentType = 'multipart/related; type="application/octet-stream"';
      const plain = await startProxyServer(async (request) => {
        const file = files.get(new URL(request.url).pathname);
        if (!file) return new Response(null, { status: 404 });
        const body = await readFile(file);
        return new Response(body, { headers: { 'content-type': contentType, 'content-length': String(body.byteLength) } });
      });
      closers.push(() => plain.close());
      const plainUrls = paths.map((_, i) => `${plain.origin}/f/${i}`);
      const plainMs: number[] = [];
      await frames(plainUrls, {});
      for (let i = 0; i < RUNS; i++) plainMs.push((await frames(plainUrls, {})).ms);

      // The viewer's own request (single-part frames), and the whole series in one request
      // against 200 frame requests, both Orthanc direct: is whole-series retrieval worth a route?
      const singleColdMs: number[] = [];
      const singleWarmMs: number[] = [];
      const seriesMs: number[] = [];
      const seriesUrl = `${pacs.dicomwebBaseUrl}/studies/${study.studyUid}/series/${series.uid}`;
      let seriesBytes = 0;
      // The viewer's whole cold open: the series' metadata first (which starts the proxy's
      // whole-series read-ahead), then the 200 frames single-part — against Orthanc direct in the
      // same minutes (both the 200 frame requests and the one series request).
      const viewerColdMs: number[] = [];
      const pairedDirectMs: number[] = [];
      const pairedFramesMs: number[] = [];
      const directMetadataUrl = `${pacs.dicomwebBaseUrl}/studies/${study.studyUid}/series/${series.uid}/metadata`;
      for (let i = 0; i < RUNS; i++) {
        const proxy = await freshProxy();
        singleColdMs.push((await coldPass(proxy, SINGLE_PART_ACCEPT)).ms);
        singleWarmMs.push((await frames(proxy.urls, { accept: SINGLE_PART_ACCEPT })).ms);
        // A viewer talking to Orthanc itself asks the series' metadata first too: the baseline
        // makes the same requests as the proxy's pass (it once counted only the frames).
        const paired = await frames(
          directUrls,
          { accept: FRAME_ACCEPT, authorization, 'accept-encoding': 'identity' },
          {
            first: { url: directMetadataUrl, headers: { accept: 'application/dicom+json', authorization } },
          },
        );
        pairedDirectMs.push(paired.ms);
        cpuOf.paired.push(parties(paired));
        pairedFramesMs.push((await direct()).ms);
        const viewer = await freshProxy();
        const opened = await frames(
          viewer.urls,
          { accept: SINGLE_PART_ACCEPT },
          {
            first: { url: viewer.metadataUrl, headers: { accept: 'application/dicom+json' } },
          },
        );
        viewerColdMs.push(opened.ms);
        cpuOf.viewer.push(parties(opened));
        await viewer.settled();
        const whole = await measured({
          urls: [seriesUrl],
          headers: { accept: SERIES_ACCEPT, authorization, 'accept-encoding': 'identity' },
          inFlight: 1,
        });
        seriesBytes = whole.bytes;
        seriesMs.push(whole.ms);
      }

      const figures: Figure[] = [
        {
          name: `proxy cold: 200 frames (${(bytes / 1e6).toFixed(0)} MB), ${IN_FLIGHT} in flight, empty cache`,
          value: median(coldMs),
          unit: 'ms',
          baseline: { name: 'Orthanc direct', value: median(directMs) },
          lowerIsBetter: false,
          goal: '≤ 1.2× Orthanc direct',
        },
        {
          name: 'floor: a bare node:http pipe to Orthanc in this process (no Fetch bridge, no parsing, no cache)',
          value: median(pipeMs),
          unit: 'ms',
          baseline: { name: 'Orthanc direct', value: median(directMs) },
          lowerIsBetter: false,
        },
        {
          name: `  runs: CPU per pass (until the client has every frame), client + this process (proxy or pipe) + Orthanc, ms: direct ${cpuOf.direct.join(' ')}; pipe ${cpuOf.pipe.join(' ')}; proxy cold ${cpuOf.cold.join(' ')}; read-ahead ${cpuOf.viewer.join(' ')}, its paired direct ${cpuOf.paired.join(' ')}; pipe ${pipeMs.map(Math.round).join('/')} ms`,
          value: RUNS,
          unit: 'runs',
        },
        {
          name: 'proxy warm: the same 200 frames from the encrypted cache',
          value: median(warmMs),
          unit: 'ms',
          baseline: { name: 'same bytes from plain files', value: median(plainMs) },
          lowerIsBetter: false,
          goal: '≤ 2× plain files',
        },
        {
          name: 'proxy cold, single-part frames (what the viewer asks)',
          value: median(singleColdMs),
          unit: 'ms',
          baseline: { name: 'Orthanc direct', value: median(directMs) },
          lowerIsBetter: false,
          goal: '≤ 1.2× Orthanc direct',
        },
        {
          name: 'proxy warm, single-part frames',
          value: median(singleWarmMs),
          unit: 'ms',
          baseline: { name: 'plain files', value: median(plainMs) },
          lowerIsBetter: false,
          goal: '≤ 2× plain files',
        },
        {
          name: 'proxy cold, series read-ahead: series metadata, then 200 single-part frames (the viewer’s requests)',
          value: median(viewerColdMs),
          unit: 'ms',
          baseline: {
            name: 'Orthanc direct, the same requests (metadata, then 200 frames) in the same minutes',
            value: median(pairedDirectMs),
          },
          lowerIsBetter: false,
          goal: '≤ 1.2× Orthanc direct',
        },
        {
          name: `  runs: read-ahead cold ${viewerColdMs.map(Math.round).join('/')} paired direct (metadata + frames) ${pairedDirectMs.map(Math.round).join('/')}, direct frames alone ${pairedFramesMs.map(Math.round).join('/')}`,
          value: RUNS,
          unit: 'runs',
        },
        {
          name: `Orthanc direct: the whole series in one request (${(seriesBytes / 1e6).toFixed(0)} MB of DICOM files)`,
          value: median(seriesMs),
          unit: 'ms',
          baseline: { name: `200 frame requests, ${IN_FLIGHT} in flight`, value: median(directMs) },
          lowerIsBetter: false,
        },
        {
          name: `  runs: single-part cold ${singleColdMs.map(Math.round).join('/')}, warm ${singleWarmMs.map(Math.round).join('/')}; series ${seriesMs.map(Math.round).join('/')}`,
          value: RUNS,
          unit: 'runs',
        },
        {
          name: `  runs: cold until cached ${cachedMs.map(Math.round).join('/')}; CPU of this process until cached: cold ${coldCpuMs.map(Math.round).join('/')}`,
          value: RUNS,
          unit: 'runs',
        },
        {
          name: `  runs: cold ${coldMs.map(Math.round).join('/')}, direct ${directMs.map(Math.round).join('/')}, warm ${warmMs.map(Math.round).join('/')}, files ${plainMs.map(Math.round).join('/')}`,
          value: RUNS,
          unit: 'runs',
        },
      ];

      if (before) {
        figures.push({
          name: `proxy cold, this checkout (${RUNS} runs, interleaved)`,
          value: median(coldMs),
          unit: 'ms',
          baseline: { name: `${before}'s proxy cold${oldFailed ? ` (${oldFailed} frames failed)` : ''}`, value: median(oldColdMs) },
        });
        figures.push({
          name: `  runs: ${before} cold ${oldColdMs.map(Math.round).join('/')}, until cached ${oldCachedMs.map(Math.round).join('/')}, CPU ${oldCpuMs.map(Math.round).join('/')}`,
          value: RUNS,
          unit: 'runs',
        });
      }
      return figures;
    } finally {
      for (const close of closers.reverse()) await close();
      await pacs.stop();
      rmSync(work, { recursive: true, force: true });
    }
  },
};
