/**
 * Test support for the broker subscription: a real rabbitmq-server on 127.0.0.1 (free ports, a
 * temp data dir; skipped with the reason only when it is not installed), a TCP proxy between the
 * workstation and the broker that a test can cut, a publisher like the integration platform's,
 * and a workstation configuration whose broker section points at it.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';
import { rabbitmqMissing, startRabbitmq, type RabbitmqProcess } from '../../src/demo-hospital/broker/rabbitmq-process.ts';
import { HuizhenConfigSchema, type HuizhenConfig } from '../../src/shared/config/schema.ts';
import { LIS_AUTHORITY } from './inbound-hl7-harness.ts';

/** Why the broker tests cannot run here; undefined when rabbitmq-server is installed. */
export const rabbitmqSkipReason = rabbitmqMissing();

export async function startTestRabbitmq(): Promise<RabbitmqProcess> {
  return startRabbitmq({ startTimeoutMs: 180_000 });
}

/** A TCP relay on 127.0.0.1 to `targetPort`; `cut()` drops every connection and refuses new ones until `restore()`. */
export interface TcpProxy {
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let isCut = false;
  const server: Server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      isCut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      isCut = false;
    },
    close() {
      isCut = true;
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const TEST_EXCHANGE = 'hospital.events';
export const TEST_DLX = 'hospital.events.dead';

export function brokerTestConfig(withPassword: string, overrides: Record<string, unknown> = {}): HuizhenConfig {
  // The configuration holds no password in the URL: it goes in its own field (or the vault).
  const parsed = new URL(withPassword);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const url = parsed.toString();
  return HuizhenConfigSchema.parse({
    sources: [
      {
        id: 'lis',
        name: '检验科 LIS',
        kind: 'hl7v2',
        host: '127.0.0.1',
        port: 1,
        receivingApplication: 'LIS',
        services: ['results'],
        patientIdAuthority: LIS_AUTHORITY,
      },
      { id: 'cdr', name: 'CDR (FHIR R4)', kind: 'fhir', baseUrl: 'http://127.0.0.1:1/fhir' },
    ],
    broker: {
      enabled: true,
      url,
      ...(password && !overrides['passwordRef'] ? { password } : {}),
      exchange: TEST_EXCHANGE,
      deadLetterExchange: TEST_DLX,
      queue: `huizhen.test.${process.pid}.${Math.random().toString(36).slice(2, 8)}`,
      wards: ['CARD-1'],
      hl7SourceId: 'lis',
      fhirSourceId: 'cdr',
      reconnectInitialMs: 100,
      reconnectMaxMs: 2000,
      ...overrides,
    },
  });
}

/** Publishes as the integration platform does: persistent, confirmed by the broker. */
export class TestPublisher {
  private readonly model: ChannelModel;
  private readonly channel: ConfirmChannel;

  private constructor(model: ChannelModel, channel: ConfirmChannel) {
    this.model = model;
    this.channel = channel;
  }

  static async connect(url: string): Promise<TestPublisher> {
    const model = await amqp.connect(url);
    const channel = await model.createConfirmChannel();
    await channel.assertExchange(TEST_EXCHANGE, 'topic', { durable: true });
    return new TestPublisher(model, channel);
  }

  async publish(routingKey: string, body: string, options: { contentType?: string; messageId?: string } = {}): Promise<void> {
    this.channel.publish(TEST_EXCHANGE, routingKey, Buffer.from(body, 'utf8'), {
      persistent: true,
      contentType: options.contentType ?? 'application/hl7-v2',
      ...(options.messageId ? { messageId: options.messageId } : {}),
    });
    await this.channel.waitForConfirms();
  }

  /** Takes (and acks) the next message of a queue, or false when it is empty. */
  async take(queue: string): Promise<GetMessage | false> {
    const message = await this.channel.get(queue, { noAck: true });
    return message;
  }

  async messageCount(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => {});
  }
}

/** Resolves when `check` holds; polls, since the broker and the cache work on their own time. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A RabbitMQ of the test's own and a publisher on it, for the tests of a file or describe block (started when RabbitMQ is installed). */
export function useTestRabbitmq(): { readonly rabbit: RabbitmqProcess; readonly publisher: TestPublisher } {
  const live = {} as { rabbit: RabbitmqProcess; publisher: TestPublisher };
  beforeAll(async () => {
    if (rabbitmqSkipReason) return;
    live.rabbit = await startTestRabbitmq();
    live.publisher = await TestPublisher.connect(live.rabbit.url);
  }, 240_000);
  afterAll(async () => {
    await live.publisher?.close();
    await live.rabbit?.close();
  }, 60_000);
  return live;
}
