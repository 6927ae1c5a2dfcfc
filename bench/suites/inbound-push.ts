import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameMllp, MllpDecoder } from '../../src/adapters/hl7v2/mllp-framing.ts';
import { readHl7Message } from '../../src/adapters/hl7v2/read-hl7-bytes.ts';
import { convertHl7Message } from '../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createConversionThread } from '../../src/main/services/inbound-hl7/conversion-thread.ts';
import { startBrowserHost } from '../../src/main/host/browser-host.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import { hugeOru } from '../../test/support/inbound-hl7-harness.ts';
import { medianMs, type BenchSuite, type Figure } from '../measure.ts';
import { probeApi, signedInApiCall } from '../support/signed-in-api-call.ts';
import { freePort } from '../../test/support/free-port.ts';

const RESULTS = 40_000;
const SETTINGS = { sourceId: 'lis', sourceName: 'LIS', patientIdAuthority: 'LIS', identifierSystems: {}, fallbackCharset: 'utf-8' };

const p99 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(0.99 * values.length))]!;

/** Sends one framed message over MLLP and resolves with the first frame back. */
function push(port: number, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(frameMllp(bytes)));
    const decoder = new MllpDecoder();
    socket.on('data', (chunk: Buffer) => {
      if (decoder.push(chunk).length > 0) {
        socket.destroy();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}

/**
 * Issue 13 item 5: a 40,000-OBX ORU (≈ 1.7 MB) converted in the worker, against the same
 * conversion on the API's own thread; and the browser host's API p99 while it converts (and
 * while the whole push is converted, stored and acknowledged), against the API idle.
 */
export const inboundPush: BenchSuite = {
  name: 'Inbound HL7 push: a 40,000-OBX ORU off the API’s event loop (issue 13)',
  async run() {
    const bytes = new TextEncoder().encode(hugeOru({ controlId: 'BENCH0001', results: RESULTS }));
    const mb = (bytes.length / 1e6).toFixed(2);
    const threadCpu = (): number => {
      const u = process.threadCpuUsage();
      return (u.user + u.system) / 1000;
    };
    const inThreadCpu: number[] = [];
    const inThread = await medianMs(3, () => {
      const start = threadCpu();
      convertHl7Message(readHl7Message(bytes), { idNamespace: 'lis', patientIdAuthority: 'LIS' });
      inThreadCpu.push(threadCpu() - start);
    });
    const thread = createConversionThread({ settings: SETTINGS, cpuBudgetMs: 60_000, memoryMb: 1024 });
    const workerCpu: number[] = [];
    const inWorker = await medianMs(3, async () => {
      const outcome = await thread.convert(bytes, new Date().toISOString());
      if (outcome.kind !== 'done' || outcome.result.kind !== 'converted')
        throw new Error(`the bench message was not converted: ${JSON.stringify(outcome).slice(0, 200)}`);
      if (outcome.cpuMs !== undefined) workerCpu.push(outcome.cpuMs);
    });
    // medianMs runs once to warm up first: that run is left out here too.
    const median = (values: number[]): number => {
      const timed = values.slice(1).sort((a, b) => a - b);
      return timed[Math.floor(timed.length / 2)] ?? Number.NaN;
    };

    // The whole core behind the browser host, with the inbound listener, as `npm run serve` runs it.
    const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-bench-push-'));
    const inboundPort = await freePort();
    const config = parseConfig({
      sources: [
        {
          id: 'lis',
          name: 'LIS',
          kind: 'hl7v2',
          host: '127.0.0.1',
          port: 9,
          receivingApplication: 'LIS',
          services: ['results'],
          patientIdAuthority: 'LIS',
        },
      ],
      cache: { directory: cacheDir },
      inboundHl7: { enabled: true, port: inboundPort, sourceId: 'lis', maxConversionCpuMs: 60_000 },
    });
    const composed = await composeWorkstation(config, {
      protector: () => createPassphraseKeyProtector('bench passphrase', { log2Cost: 12 }),
    });
    const host = await startBrowserHost({ backend: composed.api, staticHandler: async () => new Response('', { status: 404 }) });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const apiCall = await signedInApiCall(host, agent);
    try {
      const idle = await probeApi(apiCall, new Promise((resolve) => setTimeout(resolve, 3000)));
      const converting = await probeApi(apiCall, thread.convert(bytes, new Date().toISOString()));
      const pushStart = performance.now();
      const pushing = await probeApi(apiCall, push(inboundPort, bytes));
      const pushMs = performance.now() - pushStart;
      const figures: Figure[] = [
        {
          name: `${RESULTS.toLocaleString('en')}-OBX ORU (${mb} MB) converted in the worker`,
          value: inWorker,
          unit: 'ms',
          baseline: { name: 'same conversion on the API thread', value: inThread },
          goal: '< 1,000 ms',
        },
        {
          name: 'the same, CPU time of the worker thread (load-independent)',
          value: median(workerCpu),
          unit: 'ms',
          baseline: { name: 'CPU of the conversion on the API thread', value: median(inThreadCpu) },
          goal: '< 1,000 ms',
        },
        {
          name: `API p99 latency while it converts (${converting.length} calls)`,
          value: p99(converting),
          unit: 'ms',
          baseline: { name: `API idle (${idle.length} calls)`, value: p99(idle) },
          lowerIsBetter: false,
          goal: '< 100 ms',
        },
        {
          name: `API p99 while the push is converted, stored and ACKed (${pushing.length} calls)`,
          value: p99(pushing),
          unit: 'ms',
          baseline: { name: 'API idle', value: p99(idle) },
          lowerIsBetter: false,
        },
        { name: 'the whole push: convert + store 40,001 records + AA', value: pushMs, unit: 'ms' },
      ];
      return figures;
    } finally {
      agent.destroy();
      await thread.close();
      await host.close();
      await composed.workstation.close();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  },
};
