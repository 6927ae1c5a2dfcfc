// The demo's and the tests' RabbitMQ runs on ports chosen free a moment before it binds them;
// with test files in parallel another process can take one in between. A start that lost its
// port must neither take the other process's answer for its own broker nor fail the run: it
// starts again on other ports. Over a real rabbitmq-server; skipped, saying why, only where it
// is not installed.
import { createServer, type Server } from 'node:net';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, rabbitmqMissing, startRabbitmq, type RabbitmqProcess } from '../../src/demo-hospital/broker/index.ts';

const skipReason = rabbitmqMissing();
let impostor: Server | undefined;
let broker: RabbitmqProcess | undefined;

afterAll(async () => {
  await broker?.close();
  await new Promise<void>((resolve) => (impostor ? impostor.close(() => resolve()) : resolve()));
});

describe.skipIf(skipReason !== undefined)(`RabbitMQ on ports another process may take${skipReason ? ` (${skipReason})` : ''}`, () => {
  it('a port taken before the broker binds it: not mistaken for the broker, started again on free ports', async () => {
    // Answers the AMQP protocol header as a broker would begin to: a readiness probe alone would take it for one.
    impostor = createServer((socket) => socket.once('data', () => socket.write(Buffer.from([1, 0, 10, 0, 0, 0, 0, 0, 0]))));
    await new Promise<void>((resolve) => impostor!.listen(0, '127.0.0.1', () => resolve()));
    const taken = (impostor.address() as { port: number }).port;
    const lines: string[] = [];
    let choices = 0;
    broker = await startRabbitmq({
      log: (line) => lines.push(line),
      choosePorts: async () => [choices++ === 0 ? taken : await freePort(), await freePort(), await freePort()],
    });
    expect(choices).toBe(2);
    expect(broker.port).not.toBe(taken);
    expect(lines.some((l) => /taken \(eaddrinuse\); trying other ports/.test(l))).toBe(true);
    // The broker it answers with is a real one: a connection opens and a queue can be declared.
    const connection = await amqp.connect(broker.url);
    try {
      const channel = await connection.createChannel();
      expect((await channel.assertQueue('', { exclusive: true })).queue).toMatch(/^amq\.gen-/);
    } finally {
      await connection.close();
    }
  }, 360_000);
});
