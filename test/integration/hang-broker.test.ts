/**
 * A hanging broker cannot hold the workstation: a port that accepts and never speaks AMQP is given
 * up at connectTimeoutMs (typed, then retried), and a broker that goes mute mid-session is cut at
 * closeTimeoutMs when the workstation stops, with a typed BrokerTimeoutError — and what it held
 * unacknowledged is delivered again later, stored once (nothing lost).
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerTimeoutError, startBrokerConsumer, type BrokerOutcome } from '../../src/main/services/inbound-broker/broker-subscription.ts';
import { startBrokerSubscription } from '../../src/main/services/inbound-broker/start-broker-subscription.ts';
import { BrokerConfigSchema } from '../../src/shared/config/broker.ts';
import { tempCacheDir } from '../support/cache-fixtures.ts';
import { openTestStore, oruR01 } from '../support/inbound-hl7-harness.ts';
import { brokerTestConfig, rabbitmqSkipReason, until, useTestRabbitmq } from '../support/rabbitmq.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Accepts every connection on 127.0.0.1 and never writes a byte; counts what the client opened and closed. */
async function startMuteServer(): Promise<{ port: number; accepted: number; closedByClient: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const counts = { accepted: 0, closedByClient: 0 };
  const server: Server = createServer((socket) => {
    counts.accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      counts.closedByClient += 1;
      sockets.delete(socket);
    });
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return counts.accepted;
    },
    get closedByClient() {
      return counts.closedByClient;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A relay to RabbitMQ that can go mute: after `mute()` it keeps every socket open and passes nothing either way. */
async function startMutableRelay(
  targetPort: number,
): Promise<{ port: number; mute(): void; clientsClosed: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { muted: false, clientsClosed: 0 };
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('close', () => {
      state.clientsClosed += 1;
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      if (!state.muted) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!state.muted) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    mute: () => {
      state.muted = true;
    },
    get clientsClosed() {
      return state.clientsClosed;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a broker port that accepts and never answers', () => {
  it('each connect fails typed at connectTimeoutMs, the socket is closed, the loop retries, and close() settles', async () => {
    const mute = await startMuteServer();
    cleanups.push(() => mute.close());
    const lines: string[] = [];
    const consumer = startBrokerConsumer({
      config: BrokerConfigSchema.parse({
        enabled: true,
        url: `amqp://guest@127.0.0.1:${mute.port}/`,
        password: 'guest',
        hl7SourceId: 'lis',
        wards: ['CARD-1'],
        connectTimeoutMs: 300,
        closeTimeoutMs: 500,
        reconnectInitialMs: 100,
        reconnectMaxMs: 200,
      }),
      handle: () => Promise.reject(new Error('no delivery can arrive from a mute broker')),
      log: (line) => lines.push(line),
    });
    // Before the fix the first connect waited for ever: no second attempt, no 'waiting' state.
    await until(() => mute.accepted >= 2 && mute.closedByClient >= 1, 60_000, 'a second connection after the first was given up');
    expect(lines.some((l) => l.includes(new BrokerTimeoutError('connect', 300).message))).toBe(true);
    await consumer.close();
    expect(consumer.state()).toBe('stopped');
    await until(() => mute.closedByClient === mute.accepted, 30_000, 'every socket closed by the workstation');
  }, 120_000);
});

if (rabbitmqSkipReason) console.warn(`broker hang tests skipped: ${rabbitmqSkipReason}`);

describe.skipIf(rabbitmqSkipReason)('a broker that goes mute mid-session (real RabbitMQ behind a relay)', () => {
  const mq = useTestRabbitmq();

  it('close() cuts the socket at closeTimeoutMs with a typed error; the message held meanwhile is stored later, once', async () => {
    const relay = await startMutableRelay(Number(new URL(mq.rabbit.url).port));
    cleanups.push(() => relay.close());
    const temp = tempCacheDir('hang-broker');
    cleanups.push(temp.cleanup);
    const store = await openTestStore(temp.dir);
    cleanups.push(() => store.close());
    const direct = brokerTestConfig(mq.rabbit.url, { closeTimeoutMs: 1000 });
    const relayed = new URL(direct.broker!.url);
    relayed.port = String(relay.port);
    const viaRelay = { ...direct, broker: { ...direct.broker!, url: relayed.toString() } };

    const lines: string[] = [];
    const first = await startBrokerSubscription({ config: viaRelay, store, log: (line) => lines.push(line) });
    await until(() => first.state() === 'connected', 60_000, 'the subscription to connect through the relay');
    relay.mute();
    // Published while the workstation's link is mute: RabbitMQ hands it to the mute consumer, unacknowledged.
    await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: 'HANG-ORU-1', glucose: '6.1' }));

    const closing = first.close();
    await expect(closing).rejects.toBeInstanceOf(BrokerTimeoutError);
    await expect(closing).rejects.toMatchObject({ code: 'broker-timeout', step: 'cancel', ms: 1000 });
    expect(first.state()).toBe('stopped');
    // The relay saw the workstation drop its end: RabbitMQ's side closes with it and requeues the delivery.
    await until(() => relay.clientsClosed >= 1, 30_000, 'the workstation to cut its socket');

    const outcomes: BrokerOutcome[] = [];
    const second = await startBrokerSubscription({ config: direct, store, onOutcome: (o) => outcomes.push(o) });
    cleanups.push(() => second.close());
    await until(() => outcomes.length >= 1, 60_000, 'the held message delivered again');
    expect(outcomes.map((o) => o.decision)).toEqual([expect.objectContaining({ action: 'ack', stored: true, messageId: 'HANG-ORU-1' })]);
    await until(async () => (await mq.publisher.messageCount(second.queue)) === 0, 30_000, 'the queue acknowledged empty');
  }, 240_000);
});
