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
  let model: ChannelModel;
  let channel: ConfirmChannel;
  let connectionClosed = false;
  try {
    model = await amqp.connect(rabbit.url);
    // Ctrl+C on npm start signals RabbitMQ with the rest of the process group, so the broker may
    // reset this connection while the demo is still stopping: amqplib then emits 'error', which
    // without a listener crashes the process (ECONNRESET). A lost publisher is a logged line.
    model.on('error', (error: Error) => log(`broker: publisher connection lost: ${error.message}`));
    model.on('close', () => (connectionClosed = true));
    channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => log(`broker: publisher channel closed: ${error.message}`));
    await channel.assertExchange(DEMO_EXCHANGE, 'topic', { durable: true });
  } catch (error) {
    await rabbit.close();
    return { unavailable: `RabbitMQ started but refused the publisher: ${String(error)}` };
  }
  const events = createWardEvents(data, { ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  const publish = async (routingKey: string, body: string, o: { contentType?: string; messageId?: string } = {}): Promise<void> => {
    channel.publish(DEMO_EXCHANGE, routingKey, Buffer.from(body, 'utf8'), {
      persistent: true,
      contentType: o.contentType ?? 'application/hl7-v2',
      ...(o.messageId ? { messageId: o.messageId } : {}),
      timestamp: Math.floor(Date.now() / 1000),
    });
    await channel.waitForConfirms();
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
        // A connection the broker already closed has nothing to say goodbye on.
        if (!connectionClosed) await model.close().catch(() => {});
        await rabbit.close();
      })();
      return stopped;
    },
  };
}
