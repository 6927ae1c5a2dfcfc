/**
 * Ctrl+C on `npm start` signals its whole process group: RabbitMQ's Erlang VM stops at the same
 * moment as the workstation and resets every AMQP connection. A reset during shutdown is a logged
 * broker error, never an uncaught 'error' event that crashes the process (amqplib emits one on
 * the connection and channel of any client without a listener).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoBroker, isDemoBrokerUnavailable, type DemoBroker } from '../../src/demo-hospital/broker/index.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';

/** The broker's Erlang VM: the one process whose command line names this broker's data folder and is beam.smp. */
function beamOf(dataDir: string): number {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(dataDir) && cmdline.split('\0')[0]!.endsWith('beam.smp')) return Number(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  throw new Error(`no beam.smp for ${dataDir}`);
}

// rabbitmq-server comes with scripts/ensure-deps.sh: where it is missing, the start below fails and says so.
describe('the demo broker when RabbitMQ stops under its publisher', () => {
  let broker: DemoBroker;
  const lines: string[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    const started = await startDemoBroker(generateSyntheticHospital(), { intervalMs: 0, log: (line) => lines.push(line) });
    if (isDemoBrokerUnavailable(started)) throw new Error(started.unavailable);
    broker = started;
    process.on('uncaughtException', onUncaught);
  }, 240_000);
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await broker?.stop();
  }, 60_000);

  it('logs the reset, fails the next publish with an error, and stops cleanly', async () => {
    await broker.publishNext();
    // Killed outright, the VM's sockets close under the client without AMQP's goodbye.
    process.kill(beamOf(broker.rabbit.dataDir), 'SIGKILL');
    await expect.poll(() => lines.some((line) => /broker: publisher connection lost/.test(line)), { timeout: 30_000 }).toBe(true);
    await expect(broker.publishNext()).rejects.toThrow();
    expect(uncaught).toEqual([]);
    await broker.stop();
  }, 120_000);
});
