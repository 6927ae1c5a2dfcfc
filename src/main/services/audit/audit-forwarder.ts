/**
 * Delivers the audit log to the hospital's audit repository as FHIR AuditEvents, in seq order,
 * each exactly once as far as the repository can tell: every event has a deterministic id and is
 * PUT (update-as-create), so re-sending after a crash or a lost answer replaces instead of
 * duplicating. The log itself is the spool; a cursor file says how far delivery got. While the
 * repository is unreachable, delivery waits with growing, jittered pauses (timers unref'd, so a
 * pending retry never keeps the process alive).
 */
import { isSourceError } from '../../../adapters/source-error.ts';
import type { AuditLog } from './audit-log.ts';
import { readCursor, writeCursor, type DeliveryCursor } from './delivery-cursor.ts';
import { createAuditEventPutter, type AuditRepository, type PutAuditEvent } from './repository-client.ts';
import { toFhirAuditEvent } from './to-fhir-audit-event.ts';

export interface AuditForwarderOptions {
  log: AuditLog;
  repository: AuditRepository & {
    /** First pause after a failure; doubles per further failure, up to 32 times this. Default 30. */
    retryIntervalSeconds?: number;
  };
  /** Observer and agent name in every AuditEvent, and part of each event's id. */
  workstationId: string;
  /** The hospital's name, as AuditEvent.source.site. */
  site?: string;
  /** One line per failure and recovery, for the host's log (never event contents). */
  report?: (line: string) => void;
  /** Events read per step. Default 100. */
  batchSize?: number;
  /** Replaces the HTTP PUT (tests of the spool logic only). */
  put?: PutAuditEvent;
  random?: () => number;
}

export interface ForwarderStatus {
  deliveredSeq: number;
  pending: number;
  consecutiveFailures: number;
  /** ISO instant the repository last accepted an event (since this start). */
  lastDeliveryAt?: string;
  lastError?: { code: string; message: string };
  /** ISO instant of the next attempt while waiting after a failure. */
  nextAttemptAt?: string;
}

export interface DeliveryRound {
  delivered: number;
  /** Events still undelivered when the round ended. */
  pending: number;
  error?: { code: string; message: string };
}

export interface AuditForwarder {
  /** Delivers what is pending now and after every append, until stop(). */
  start(): void;
  /** One delivery round now (joins a round already running); never rejects. */
  flush(): Promise<DeliveryRound>;
  status(): ForwarderStatus;
  /** Stops retries and listening, aborts the request in flight, waits for the round to end. */
  stop(): Promise<void>;
}

const MAX_BACKOFF_FACTOR = 32;

function describe(error: unknown): { code: string; message: string } {
  // The console shows this: the repository's own words may quote the AuditEvent back (a patient reference).
  if (isSourceError(error)) return { code: error.code, message: error.toInfo().message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export function createAuditForwarder(options: AuditForwarderOptions): AuditForwarder {
  const { log } = options;
  const report = options.report ?? (() => {});
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? 100;
  const baseDelayMs = (options.repository.retryIntervalSeconds ?? 30) * 1000;
  const put = options.put ?? createAuditEventPutter(options.repository);
  const context = { workstationId: options.workstationId, logId: log.logId, ...(options.site ? { site: options.site } : {}) };
  const abort = new AbortController();
  const reportedSkips = new Set<number>();

  let cursor: DeliveryCursor | undefined;
  let running: Promise<DeliveryRound> | undefined;
  let dirty = false;
  let started = false;
  let stopped = false;
  let failures = 0;
  let lastError: { code: string; message: string } | undefined;
  let lastDeliveryAt: Date | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let nextAttemptAt: Date | undefined;
  let unsubscribe: (() => void) | undefined;

  async function loadCursor(): Promise<DeliveryCursor> {
    cursor ??= await readCursor(log.directory, log.logId, report);
    return cursor;
  }

  function scheduleRetry(): void {
    if (stopped || !started) return;
    const factor = Math.min(2 ** (failures - 1), MAX_BACKOFF_FACTOR);
    // Jitter spreads the retries of many workstations after a repository outage.
    const delay = baseDelayMs * factor * (0.5 + random() * 0.5);
    nextAttemptAt = new Date(Date.now() + delay);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      nextAttemptAt = undefined;
      void flush();
    }, delay);
    retryTimer.unref();
  }

  /** Delivers batch after batch until nothing is left or a delivery fails. */
  async function deliverAll(): Promise<DeliveryRound> {
    let delivered = 0;
    let position = await loadCursor();
    try {
      do {
        dirty = false;
        for (;;) {
          const { records, skipped } = await log.recordsAfter(position.seq, batchSize, position.offset);
          for (const s of skipped) {
            if (!reportedSkips.has(s.offset))
              report(`audit forwarding: a line at byte ${s.offset} was not forwarded: ${s.reason} (run "huizhen audit verify")`);
            reportedSkips.add(s.offset);
          }
          if (records.length === 0) break;
          try {
            for (const record of records) {
              if (stopped) return { delivered, pending: log.lastSeq() - position.seq };
              await put(toFhirAuditEvent(record, context), abort.signal);
              position = { seq: record.seq, offset: record.endOffset };
              delivered += 1;
              lastDeliveryAt = new Date();
            }
          } finally {
            // Progress is kept even when a delivery in the batch fails.
            if (cursor && position.seq !== cursor.seq) {
              await writeCursor(log.directory, log.logId, position);
              cursor = position;
            }
          }
        }
      } while (dirty && !stopped);
      if (failures > 0) report(`audit forwarding: the repository answers again; delivered up to seq ${position.seq}`);
      failures = 0;
      lastError = undefined;
      return { delivered, pending: log.lastSeq() - position.seq };
    } catch (error) {
      if (stopped) return { delivered, pending: log.lastSeq() - position.seq };
      failures += 1;
      lastError = describe(error);
      if (failures === 1 || failures % 10 === 0)
        report(`audit forwarding: delivery failed (${failures}×), events stay spooled: ${lastError.message}`);
      scheduleRetry();
      return { delivered, pending: log.lastSeq() - position.seq, error: lastError };
    }
  }

  function flush(): Promise<DeliveryRound> {
    if (stopped) return Promise.resolve({ delivered: 0, pending: log.lastSeq() - (cursor?.seq ?? 0) });
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = undefined;
      nextAttemptAt = undefined;
    }
    running ??= deliverAll().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      unsubscribe = log.onAppend(() => {
        dirty = true;
        // While waiting out a failure, new events just join the spool.
        if (!running && !retryTimer) void flush();
      });
      void flush();
    },
    flush,
    status() {
      const deliveredSeq = cursor?.seq ?? 0;
      return {
        deliveredSeq,
        pending: Math.max(0, log.lastSeq() - deliveredSeq),
        consecutiveFailures: failures,
        ...(lastDeliveryAt ? { lastDeliveryAt: lastDeliveryAt.toISOString() } : {}),
        ...(lastError ? { lastError } : {}),
        ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
      };
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      if (retryTimer) clearTimeout(retryTimer);
      abort.abort();
      await running;
    },
  };
}
