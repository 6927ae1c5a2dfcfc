/**
 * The demo hospital's message broker: a real RabbitMQ on 127.0.0.1 (rabbitmq-process.ts) and the
 * integration platform publishing ward events to its topic exchange on a schedule. Where
 * rabbitmq-server is not installed (or cannot start), the hospital runs without it and says so.
 */
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { rabbitmqMissing, startRabbitmq, type RabbitmqProcess } from './rabbitmq-process.ts';
import { createWardEvents, DEMO_WARDS, type WardEvent } from './ward-events.ts';

export const DEMO_EXCHANGE = 'hospital.events';
export const DEMO_DEAD_LETTER_EXCHANGE = 'hospital.events.dead';

/**
 * Every wait on the broker is bounded: amqplib waits for a confirm, a connection or a close-ok
 * as long as the socket stays open, and a broker that stops answering (blocked by a resource
 * alarm, stopped, starved) would otherwise hold a publish or a test's teardown forever.
 */
const CONNECT_TIMEOUT_MS = 30_000;
const CONFIRM_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;

/** A wait on the demo broker ran out; `what` names what was awaited. */
export class DemoBrokerTimeoutError extends Error {
  readonly what: string;
  constructor(what: string, ms: number, blocked?: string) {
    super(`the demo broker: no ${what} within ${ms} ms${blocked ? ` (RabbitMQ blocked the publisher: ${blocked})` : ''}`);
    this.name = 'DemoBrokerTimeoutError';
    this.what = what;
  }
}

async function within<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timedOut()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export interface DemoBrokerOptions {
  /** Milliseconds between two events; 0: publish only when asked (tests). */
  intervalMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface DemoBroker {
  rabbit: RabbitmqProcess;
  /** amqp://guest@127.0.0.1:PORT (the password, "guest", goes in the config's `password`). */
  url: string;
  exchange: string;
  wards: readonly string[];
  /** Publishes the next scheduled event now (confirmed by the broker). */
  publishNext(): Promise<WardEvent>;
  /** Publishes any message under a routing key (tests, benchmarks). */
  publish(routingKey: string, body: string, options?: { contentType?: string; messageId?: string }): Promise<void>;
  stop(): Promise<void>;
}

export type DemoBrokerStart = DemoBroker | { unavailable: string };

export function isDemoBrokerUnavailable(b: DemoBrokerStart): b is { unavailable: string } {
  return 'unavailable' in b;
}

export async function startDemoBroker(data: SyntheticHospital, options: DemoBrokerOptions = {}): Promise<DemoBrokerStart> {
  const missing = rabbitmqMissing();
  if (missing) return { unavailable: missing };
  const log = options.log ?? (() => {});
  let rabbit: RabbitmqProcess;
  try {
    rabbit = await startRabbitmq({ log });
  } catch (error) {
    return { unavailable: `RabbitMQ did not start: ${(error instanceof Error ? error.message : String(error)).split('\n', 1)[0]}` };
  }
  let connectionClosed = false;
  let blocked: string | undefined;
  const connectPublisher = async (): Promise<{ model: ChannelModel; channel: ConfirmChannel }> => {
    const model = await amqp.connect(rabbit.url, { timeout: CONNECT_TIMEOUT_MS });
    // Ctrl+C on npm start signals RabbitMQ with the rest of the process group, so the broker may
    // reset this connection while the demo is still stopping: amqplib then emits 'error', which
    // without a listener crashes the process (ECONNRESET). A lost publisher is a logged line.
    model.on('error', (error: Error) => log(`broker: publisher connection lost: ${error.message}`));
    model.on('close', () => (connectionClosed = true));
    // A resource alarm (memory, disk) blocks publishers: confirms stop until it clears.
    model.on('blocked', (reason: string) => {
      blocked = reason;
      log(`broker: RabbitMQ blocked the publisher: ${reason}`);
    });
    model.on('unblocked', () => (blocked = undefined));
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => log(`broker: publisher channel closed: ${error.message}`));
    await channel.assertExchange(DEMO_EXCHANGE, 'topic', { durable: true });
    return { model, channel };
  };
  let model: ChannelModel;
  let channel: ConfirmChannel;
  try {
    ({ model, channel } = await within(
      connectPublisher(),
      CONNECT_TIMEOUT_MS,
      () => new DemoBrokerTimeoutError('AMQP connection, channel and exchange', CONNECT_TIMEOUT_MS),
    ));
  } catch (error) {
    // The broker's processes go with it, and any connection still on its way with them.
    await rabbit.close();
    return { unavailable: `RabbitMQ started but refused the publisher: ${String(error)}` };
  }
  const events = createWardEvents(data, { ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  const publish = async (routingKey: string, body: string, o: { contentType?: string; messageId?: string } = {}): Promise<void> => {
    // This message's own confirm (a channel that closes calls it with an error), not every outstanding one.
    const confirmed = new Promise<void>((resolve, reject) => {
      channel.publish(
        DEMO_EXCHANGE,
        routingKey,
        Buffer.from(body, 'utf8'),
        {
          persistent: true,
          contentType: o.contentType ?? 'application/hl7-v2',
          ...(o.messageId ? { messageId: o.messageId } : {}),
          timestamp: Math.floor(Date.now() / 1000),
        },
        (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
      );
    });
    await within(
      confirmed,
      CONFIRM_TIMEOUT_MS,
      () => new DemoBrokerTimeoutError(`confirm of the message published to ${routingKey}`, CONFIRM_TIMEOUT_MS, blocked),
    );
  };
  const publishNext = async (): Promise<WardEvent> => {
    const event = events.next();
    await publish(event.routingKey, event.body, { messageId: event.messageId });
    return event;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  if ((options.intervalMs ?? 0) > 0) {
    timer = setInterval(() => {
      // Only failures are told: a line every few seconds would bury the console.
      publishNext().catch((error: unknown) => log(`broker: publishing failed: ${String(error)}`));
    }, options.intervalMs);
    timer.unref();
  }
  let stopped: Promise<void> | undefined;
  const url = new URL(rabbit.url);
  url.password = '';
  return {
    rabbit,
    url: url.toString(),
    exchange: DEMO_EXCHANGE,
    wards: DEMO_WARDS,
    publishNext,
    publish,
    stop() {
      stopped ??= (async () => {
        if (timer) clearInterval(timer);
        // A connection the broker already closed has nothing to say goodbye on; one that does not
        // answer the goodbye is cut when the broker's processes are stopped just after.
        if (!connectionClosed) {
          await within(model.close(), CLOSE_TIMEOUT_MS, () => new DemoBrokerTimeoutError('close-ok from RabbitMQ', CLOSE_TIMEOUT_MS)).catch(
            (error: unknown) => log(`broker: closing the publisher: ${error instanceof Error ? error.message : String(error)}`),
          );
        }
        await rabbit.close();
      })();
      return stopped;
    },
  };
}
