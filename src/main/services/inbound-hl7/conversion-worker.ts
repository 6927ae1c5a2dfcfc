/**
 * The conversion worker's entry (node:worker_threads): converts one pushed frame at a time, so a
 * huge or hostile message costs this thread, never the API's event loop. The listener's thread
 * enforces the CPU-time and memory budgets by terminating it (conversion-thread.ts). Bundled on
 * its own for Electron (scripts/build-electron.ts → dist/electron/inbound-hl7-worker.cjs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { takeNewUnitEntryUses, ucumCodeFor, useUnitSpellings } from '../../../adapters/units/index.ts';
import { ConversionJobSchema, ConversionSettingsSchema, transferablesOf, type WorkerReply } from './conversion-protocol.ts';
import { convertPush } from './push-conversion.ts';

const port = parentPort;
if (!port) throw new Error('conversion-worker.ts runs only as a worker thread');
const settings = ConversionSettingsSchema.parse(workerData);
// This thread has its own copy of the units table: the hospital's spellings go in before any message.
useUnitSpellings(settings.unitSpellings ?? []);

/** This thread's CPU time, read here so the listener's thread needs no extra round trip per message. */
const threadCpuMs = (): number | undefined => {
  if (typeof process.threadCpuUsage !== 'function') return undefined;
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

port.on('message', (raw: unknown) => {
  const job = ConversionJobSchema.parse(raw);
  const start = threadCpuMs();
  const result = convertPush(job.frame, job.receivedAt, settings);
  const end = threadCpuMs();
  // Counted here, in this thread's table: sent back so the console's mapping usage sees them.
  const unitUses = takeNewUnitEntryUses();
  const reply: WorkerReply = {
    id: job.id,
    result,
    ...(unitUses.length === 0 ? {} : { unitUses }),
    ...(start === undefined || end === undefined ? {} : { cpuTotalMs: end, cpuMs: end - start }),
  };
  port.postMessage(reply, transferablesOf(reply.result));
});

// UCUM's tables load on first use: loaded here, before the budget clock of the first message runs.
ucumCodeFor('mg/dL');
port.postMessage({ ready: true, cpuTotalMs: threadCpuMs() });
