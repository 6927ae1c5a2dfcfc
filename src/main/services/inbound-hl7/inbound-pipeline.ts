/**
 * The MLLP listener's processing path without its socket: frame → conversion worker (under its
 * budgets) → de-duplication by the control-id journal → stored in the encrypted cache (or held
 * for inspection). Other transports (the message broker) hand frames here so what they deliver
 * is stored exactly as a push over MLLP is. Frames are admitted one at a time, in arrival order;
 * a frame's conversion starts when it is handed over, so the worker converts the next frames
 * while this thread stores the previous ones (several jobs in flight, converted one after another
 * in order; their answers come back in bursts when this thread is busy). Frames admitted in the same turn are committed together (group-commit.ts): one transaction and one
 * fsync for a burst of deliveries, each answered only once that commit is durable.
 */
import type { InboundHl7Config } from '../../../shared/config/inbound-hl7.ts';
import type { UnitMapping } from '../../../shared/config/mappings.ts';
import type { CacheStore } from '../cache/index.ts';
import { openControlIdJournal } from './control-id-journal.ts';
import { createConversionThread, type ThreadOutcome } from './conversion-thread.ts';
import { createGroupCommitter } from './group-commit.ts';
import { createInboundProcessor, type ProcessedFrame } from './inbound-processor.ts';

export interface InboundHl7PipelineOptions {
  config: InboundHl7Config;
  store: CacheStore;
  log?: (line: string) => void;
  workerEntry?: URL | string;
  /** MSH-3 of ACKs to bytes without a readable header. */
  receiverName?: string;
  /** Messages per group commit at most (default 64, the broker's usual prefetch). */
  maxBatch?: number;
  /** The hospital's unit spellings (configuration `mappings.units`), for the worker's units table. */
  unitSpellings?: readonly UnitMapping[];
}

export interface InboundHl7Pipeline {
  /** Resolves once the frame's outcome is durable (stored, held) or known to have failed. */
  process(frame: Uint8Array): Promise<ProcessedFrame>;
  /** Lets the frame being handled finish, then stops the conversion worker. */
  close(): Promise<void>;
}

export async function createInboundHl7Pipeline(options: InboundHl7PipelineOptions): Promise<InboundHl7Pipeline> {
  const { config, store } = options;
  const log = options.log ?? (() => {});
  const sourceName = config.sourceName ?? config.sourceId;
  const journal = await openControlIdJournal(store, {
    sourceId: config.sourceId,
    sourceName,
    window: config.dedupeWindow,
    onUnreadable: (detail) => log(`inbound-hl7: the remembered control ids could not be read (${detail}); starting without them`),
  });
  const thread = createConversionThread({
    settings: {
      sourceId: config.sourceId,
      sourceName,
      ...(config.patientIdAuthority ? { patientIdAuthority: config.patientIdAuthority } : {}),
      identifierSystems: config.identifierSystems,
      fallbackCharset: config.fallbackCharset,
      ...(config.allowedSenders ? { allowedSenders: config.allowedSenders } : {}),
      ...(options.unitSpellings?.length ? { unitSpellings: [...options.unitSpellings] } : {}),
    },
    cpuBudgetMs: config.maxConversionCpuMs,
    memoryMb: config.maxConversionMemoryMb,
    ...(options.workerEntry ? { entry: options.workerEntry } : {}),
    log,
  });
  const started = new WeakMap<Uint8Array, Promise<ThreadOutcome>>();
  const committer = createGroupCommitter({ store, journal, maxBatch: options.maxBatch ?? 64 });
  const processor = createInboundProcessor({
    config,
    store,
    journal,
    committer,
    convert: (frame, receivedAt) => {
      const early = started.get(frame);
      started.delete(frame);
      return early ?? thread.convert(frame, receivedAt);
    },
    ...(options.receiverName ? { receiverName: options.receiverName } : {}),
  });
  let queue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;
  return {
    process(frame) {
      if (closing) return Promise.reject(new Error('the inbound pipeline is closed'));
      if (frame.length <= config.maxMessageBytes) {
        const early = thread.convert(frame, new Date().toISOString());
        // Awaited later by the processor; until then a rejection must not count as unhandled.
        early.catch(() => undefined);
        started.set(frame, early);
      }
      const admitted = queue.then(() => processor.admit(frame));
      queue = admitted.catch(() => undefined);
      return admitted.then((a) => a.done);
    },
    close() {
      closing ??= queue.then(() => committer.idle()).then(() => thread.close());
      return closing;
    },
  };
}
