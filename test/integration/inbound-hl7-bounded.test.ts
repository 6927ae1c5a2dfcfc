/**
 * Issue 13 items 5–6, replayed against the real listener over sockets on 127.0.0.1: a huge push
 * does not stall the API, a message over a budget is answered AE and kept, and trickling
 * connections (slowloris) do not lock out a real sender.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binary, Observation } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import { frameMllp, MllpDecoder } from '../../src/adapters/hl7v2/mllp-framing.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { HELD_LIMIT_SYSTEM, heldMessagesKeyOf } from '../../src/main/services/inbound-hl7/held-messages.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import { tempCacheDir } from '../support/cache-fixtures.ts';
import { decode, encode, field, hugeOru, openTestStore, oruR01, RawMllpSender, startInbound } from '../support/inbound-hl7-harness.ts';
import { freePort } from '../support/free-port.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(overrides: Record<string, unknown> = {}, workerEntry?: string) {
  const { dir, cleanup } = tempCacheDir('inbound-bounded');
  cleanups.push(cleanup);
  const store = await openTestStore(dir);
  cleanups.push(() => store.close());
  const inbound = await startInbound(store, overrides, workerEntry);
  cleanups.push(() => inbound.listener.close());
  return { dir, store, inbound };
}

async function sender(port: number): Promise<RawMllpSender> {
  const s = await RawMllpSender.connect(port);
  cleanups.push(() => s.close());
  return s;
}

const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

describe('a huge push converts off the API’s event loop', () => {
  it('the API answers while a 20,000-OBX ORU is converted and stored (AA only once it is stored)', async () => {
    const port = await freePort();
    const config = parseConfig({
      sources: [
        {
          id: 'lis',
          name: '检验科 LIS',
          kind: 'hl7v2',
          host: '127.0.0.1',
          port: 9,
          receivingApplication: 'LIS',
          services: ['results'],
          patientIdAuthority: 'LIS',
        },
      ],
      cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-bounded-')) },
      inboundHl7: { enabled: true, port, sourceId: 'lis' },
    });
    const composed = await composeWorkstation(config, {
      protector: () => createPassphraseKeyProtector('bounded push test', { log2Cost: 12 }),
    });
    cleanups.push(() => composed.workstation.close());
    const lis = await sender(port);

    // An API call due every 10 ms for as long as the push is in flight; each one's latency counted
    // from when it was due, so a blocked event loop (which also delays the timer) is counted too.
    const latencies: number[] = [];
    let pushing = true;
    const probing = (async () => {
      while (pushing) {
        const due = performance.now() + 10;
        await new Promise((resolve) => setTimeout(resolve, 10));
        await composed.api.handlers.getSession({});
        latencies.push(performance.now() - due);
      }
    })();
    const pushStart = performance.now();
    // 20,000 OBX (≈ 0.85 MB): on the API's loop this froze it 11.6 s (issue 13); the bench pushes 40,000.
    await lis.write(frameMllp(encode(hugeOru({ controlId: 'HUGE0001', results: 20_000 }))));
    const ack = decode(await lis.nextFrame(90_000).finally(() => (pushing = false)));
    console.log(
      `20,000-OBX push stored and acknowledged in ${Math.round(performance.now() - pushStart)} ms; API p50/p95/max ${[50, 95].map((p) => percentile(latencies, p).toFixed(1)).join('/')}/${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} calls`,
    );
    await probing;
    expect(field(ack, 'MSA', 1)).toBe('AA');
    // Generous bounds (a shared 2-core machine): on the API's loop this conversion froze it for seconds.
    // The strict figures (p99 < 100 ms against an idle baseline) are the bench's (bench/suites/inbound-push.ts).
    expect(latencies.length).toBeGreaterThan(10);
    expect(percentile(latencies, 95)).toBeLessThan(250);
    expect(Math.max(...latencies)).toBeLessThan(1500);
  }, 120_000);
});

describe('a message over a budget is answered AE naming the limit, and kept', () => {
  it('over the CPU-time budget: AE, ERR-8 names maxConversionCpuMs, the bytes kept encrypted; the next message is stored', async () => {
    const { store, inbound } = await setup({ maxConversionCpuMs: 50 });
    const lis = await sender(inbound.listener.port);
    const text = hugeOru({ controlId: 'SLOW0001', results: 40_000 });
    const ack = await lis.exchange(text, 'utf-8');
    expect([field(ack, 'MSA', 1), field(ack, 'MSA', 2)]).toEqual(['AE', 'SLOW0001']);
    expect(field(ack, 'ERR', 3)).toMatch(/^207\^/);
    expect(field(ack, 'ERR', 8)).toMatch(/CPU-time budget of 50 ms \(maxConversionCpuMs\); the message is kept for inspection/);
    expect(inbound.outcomes.at(-1)).toMatchObject({ kind: 'held', limit: 'cpu-time', controlId: 'SLOW0001', kept: true });
    const held = (await store.getRecords(heldMessagesKeyOf('lis'))).records.map((r) => r.resource as Binary);
    expect(held).toHaveLength(1);
    expect(held[0]!.meta?.tag).toEqual([{ system: HELD_LIMIT_SYSTEM, code: 'cpu-time' }]);
    expect(Buffer.from(held[0]!.data!, 'base64').equals(Buffer.from(encode(text)))).toBe(true);
    // Nothing of it stored as the patient's record, nothing remembered as acknowledged.
    expect(await store.hasPatient('lis/L202500001')).toBe(false);
    // The worker was recycled: the next push converts and is stored.
    expect(field(await lis.exchange(oruR01({ controlId: 'NEXT0001' })), 'MSA', 1)).toBe('AA');
    expect(
      (await store.getRecords('lis/L202500001')).records
        .filter((r) => r.resource.resourceType === 'Observation')
        .map((r) => (r.resource as Observation).valueQuantity?.value)
        .sort(),
    ).toEqual([4.2, 6.1]);
  }, 60_000);

  it('over the size budget: AE naming maxMessageBytes (enhanced mode: CE), kept without being converted', async () => {
    const { store, inbound } = await setup({ maxMessageBytes: 2048 });
    const lis = await sender(inbound.listener.port);
    const big = hugeOru({ controlId: 'SIZE0001', results: 100 });
    const ack = await lis.exchange(big);
    expect([field(ack, 'MSA', 1), field(ack, 'MSA', 2)]).toEqual(['AE', 'SIZE0001']);
    expect(field(ack, 'MSA', 3)).toMatch(/size budget of 2048 bytes \(maxMessageBytes\)/);
    const enhanced = await lis.exchange(hugeOru({ controlId: 'SIZE0002', results: 100, acceptAck: 'AL', applicationAck: 'NE' }));
    expect(field(enhanced, 'MSA', 1)).toBe('CE');
    const held = (await store.getRecords(heldMessagesKeyOf('lis'))).records;
    expect(held.map((r) => r.provenance.nativeId).sort()).toEqual(['held/SIZE0001', 'held/SIZE0002']);
    expect(inbound.outcomes.map((o) => o.kind)).toEqual(['held', 'held']);
    expect(field(await lis.exchange(oruR01({ controlId: 'SMALL001' })), 'MSA', 1)).toBe('AA');
  });

  it('a conversion worker that fails: AE naming it, the message kept, nothing acknowledged as stored', async () => {
    const { store, inbound } = await setup({}, join(tmpdir(), 'no-such-inbound-worker.cjs'));
    const lis = await sender(inbound.listener.port);
    const ack = await lis.exchange(oruR01({ controlId: 'CRASH001' }));
    expect([field(ack, 'MSA', 1), field(ack, 'MSA', 2)]).toEqual(['AE', 'CRASH001']);
    expect(field(ack, 'ERR', 8)).toMatch(/^not converted: the conversion worker failed \(.*\); the message is kept for inspection$/);
    expect(inbound.outcomes.at(-1)).toMatchObject({ kind: 'held', limit: 'worker-failed', kept: true });
    expect((await store.getRecords(heldMessagesKeyOf('lis'))).records).toHaveLength(1);
    expect(await store.hasPatient('lis/L202500001')).toBe(false);
  });
});

/** A connection that trickles a message one byte every `everyMs` and never finishes it. */
function trickler(port: number, localAddress: string, everyMs: number): { socket: Socket; closed: Promise<void>; isClosed: () => boolean } {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => {});
  const bytes = encode(oruR01({ controlId: 'SLOWLORIS' }));
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(i === 0 ? Buffer.from([0x0b]) : bytes.subarray(i - 1, i));
    i++;
  }, everyMs);
  let done = false;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void closed.then(() => {
    done = true;
    clearInterval(timer);
  });
  cleanups.push(() => {
    clearInterval(timer);
    socket.destroy();
  });
  return { socket, closed, isClosed: () => done };
}

const MLLP_SEND = '/usr/bin/mllp_send';

/** A real LIS message through Debian's mllp_send when installed, else our raw sender; the ACK text. */
async function realSend(port: number, message: string): Promise<string> {
  if (!existsSync(MLLP_SEND)) {
    const s = await sender(port);
    return s.exchange(message);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'huizhen-mllp-send-')), 'push.hl7');
  writeFileSync(file, `${message}\x1c\r`);
  const stdout = await new Promise<Buffer>((resolve, reject) =>
    execFile(MLLP_SEND, ['--port', String(port), '--file', file, '127.0.0.1'], { encoding: 'buffer', timeout: 20_000 }, (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  );
  return new MllpDecoder().push(stdout).map((f) => decode(f))[0] ?? '';
}

describe('slowloris does not lock out a real sender', () => {
  it('16 trickling connections from one peer take at most maxConnectionsPerPeer slots; the LIS on another address is answered at once', async () => {
    const { inbound } = await setup({ maxConnections: 16, maxConnectionsPerPeer: 4 });
    const port = inbound.listener.port;
    // The attacker: 16 connections from 127.0.0.2, one byte every 2 s (issue 13's probe).
    const attack = Array.from({ length: 16 }, () => trickler(port, '127.0.0.2', 2000));
    // Twelve of them are closed by the listener as soon as they are accepted.
    await expect.poll(() => attack.filter((a) => a.isClosed()).length, { timeout: 10_000 }).toBe(12);
    const ack = await realSend(port, oruR01({ controlId: 'REAL0001' }));
    expect([field(ack, 'MSA', 1), field(ack, 'MSA', 2)]).toEqual(['AA', 'REAL0001']);
    expect(attack.filter((a) => !a.isClosed())).toHaveLength(4);
  }, 30_000);

  it('trickling connections that fill every slot are closed by the frame timeout; then the real sender gets in', async () => {
    const { inbound } = await setup({ maxConnections: 8, maxConnectionsPerPeer: 8, frameTimeoutMs: 1000, idleTimeoutMs: 60_000 });
    const port = inbound.listener.port;
    // Same address as the real sender: only the timeouts can help here.
    const attack = Array.from({ length: 8 }, () => trickler(port, '127.0.0.1', 200));
    await Promise.all(attack.map((a) => a.closed));
    const ack = await realSend(port, oruR01({ controlId: 'REAL0002' }));
    expect(field(ack, 'MSA', 1)).toBe('AA');
  }, 30_000);

  it('a connection that sends nothing is closed after idleTimeoutMs; one that is mid-exchange is not', async () => {
    const { inbound } = await setup({ idleTimeoutMs: 300 });
    const silent = connect({ host: '127.0.0.1', port: inbound.listener.port });
    silent.on('error', () => {});
    cleanups.push(() => void silent.destroy());
    await new Promise<void>((resolve) => silent.once('close', () => resolve()));
    const lis = await sender(inbound.listener.port);
    expect(field(await lis.exchange(oruR01({ controlId: 'IDLE0001' })), 'MSA', 1)).toBe('AA');
  }, 30_000);
});
