/**
 * The optional inbound MLLP listener: HIS/LIS push ADT and ORU^R01 here. Messages are handled
 * one at a time, in arrival order across all connections, so a retransmission racing its
 * original on a second connection is still recognised, and a patient's A08s apply in order.
 * Conversion runs in a worker thread under budgets (conversion-thread.ts), never on this event
 * loop, which also serves the API. Connections are bounded per peer and in time: a message must
 * arrive whole within frameTimeoutMs of its first byte, and a silent connection is closed after
 * idleTimeoutMs, so trickling connections (slowloris) cannot hold every slot.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { frameMllp, MllpDecoder } from '../../../adapters/hl7v2/mllp-framing.ts';
import type { InboundHl7Config } from '../../../shared/config/inbound-hl7.ts';
import type { UnitMapping } from '../../../shared/config/mappings.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { CacheStore } from '../cache/index.ts';
import { openControlIdJournal } from './control-id-journal.ts';
import { createConversionThread, type ConversionThread } from './conversion-thread.ts';
import { createGroupCommitter } from './group-commit.ts';
import { createInboundProcessor, type InboundOutcome } from './inbound-processor.ts';

/** Frames queued on one connection before reading from it pauses (TCP then slows the sender). */
const MAX_QUEUED_PER_CONNECTION = 16;

export interface InboundHl7ListenerOptions {
  /** Parsed with InboundHl7ConfigSchema; `enabled` is the caller's business. */
  config: InboundHl7Config;
  store: CacheStore;
  /** Called after a message for this patient was stored and acknowledged. */
  onPatientUpdated?: (ref: SourcePatientRef) => void;
  /** A stored frame, before it is acknowledged (e.g. the ward census reads its ADT facts). */
  onStored?: (frame: Uint8Array, outcome: Extract<InboundOutcome, { kind: 'stored' }>) => void;
  /** Every handled frame, for the log and tests. Never carries patient data beyond ids. */
  onOutcome?: (outcome: InboundOutcome) => void;
  log?: (line: string) => void;
  /** The conversion worker's script; default: the one beside the listener (or the Electron bundle's). */
  workerEntry?: URL | string;
  /** The hospital's unit spellings (configuration `mappings.units`), for the worker's units table. */
  unitSpellings?: readonly UnitMapping[];
}

export interface InboundHl7Listener {
  readonly host: string;
  readonly port: number;
  /** Stops accepting, lets the message being stored finish, then closes every connection. */
  close(): Promise<void>;
}

/** The conversion worker thread for this source, under the configured CPU and heap budgets. */
function startConversionThread(
  config: InboundHl7Config,
  sourceName: string,
  workerEntry: URL | string | undefined,
  log: (line: string) => void,
  unitSpellings: readonly UnitMapping[] | undefined,
): ConversionThread {
  return createConversionThread({
    settings: {
      sourceId: config.sourceId,
      sourceName,
      ...(config.patientIdAuthority ? { patientIdAuthority: config.patientIdAuthority } : {}),
      identifierSystems: config.identifierSystems,
      fallbackCharset: config.fallbackCharset,
      ...(config.allowedSenders ? { allowedSenders: config.allowedSenders } : {}),
      ...(unitSpellings?.length ? { unitSpellings: [...unitSpellings] } : {}),
    },
    cpuBudgetMs: config.maxConversionCpuMs,
    memoryMb: config.maxConversionMemoryMb,
    ...(workerEntry ? { entry: workerEntry } : {}),
    log,
  });
}

/** One log line for a handled frame: ids and the problem only, never patient data. */
function describeOutcome(outcome: InboundOutcome): string {
  if (outcome.kind === 'stored') return `stored ${outcome.messageType} ${outcome.controlId} (${outcome.records} records)`;
  if (outcome.kind === 'duplicate') return `duplicate ${outcome.messageType} ${outcome.controlId}, acknowledged again`;
  if (outcome.kind === 'held')
    return `${outcome.kept ? 'kept unconverted' : 'NOT kept'} ${outcome.controlId || 'a message'} (${outcome.limit}): ${outcome.problem.text}`;
  return `${outcome.status === 'rejected' ? 'rejected' : 'error for'} ${outcome.controlId || 'a message'}: ${outcome.problem.text}`;
}

/** Binds the configured address; `onFailed` runs before the bind error is thrown (to stop the worker). */
function listenOn(server: Server, config: InboundHl7Config, onFailed: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: Error): void => {
      onFailed();
      reject(error);
    };
    server.once('error', failed);
    // The configured address only: loopback unless an administrator wrote another one.
    server.listen({ host: config.host, port: config.port, exclusive: true }, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

export async function startInboundHl7Listener(options: InboundHl7ListenerOptions): Promise<InboundHl7Listener> {
  const { config, store } = options;
  const log = options.log ?? (() => {});
  const sourceName = config.sourceName ?? config.sourceId;
  const journal = await openControlIdJournal(store, {
    sourceId: config.sourceId,
    sourceName,
    window: config.dedupeWindow,
    onUnreadable: (detail) => log(`inbound-hl7: the remembered control ids could not be read (${detail}); starting without them`),
  });
  const thread = startConversionThread(config, sourceName, options.workerEntry, log, options.unitSpellings);
  // Frames are handled one at a time here (each connection waits for its ACK anyway), so a group
  // commit holds one message; the committer is what keeps records and control id in one transaction.
  const processor = createInboundProcessor({
    config,
    store,
    journal,
    committer: createGroupCommitter({ store, journal, maxBatch: 1 }),
    convert: (frame, receivedAt) => thread.convert(frame, receivedAt),
  });
  const processFrame = (frame: Uint8Array) => processor.admit(frame).then((a) => a.done);
  const sockets = new Set<Socket>();
  const perPeer = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();
  let closing: Promise<void> | undefined;

  function notify(outcome: InboundOutcome): void {
    try {
      options.onOutcome?.(outcome);
      if (outcome.kind === 'stored') for (const ref of outcome.patients) options.onPatientUpdated?.(ref);
    } catch (error) {
      // A listener's bug must not stop the next message from being stored.
      log(`inbound-hl7: a callback failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const server = createServer((socket) => {
    const peer = socket.remoteAddress ?? '?';
    const open = perPeer.get(peer) ?? 0;
    if (open >= config.maxConnectionsPerPeer) {
      log(`inbound-hl7: ${peer} already has ${open} connections (maxConnectionsPerPeer); another one refused`);
      socket.destroy();
      return;
    }
    perPeer.set(peer, open + 1);
    sockets.add(socket);
    socket.setKeepAlive(true, 60_000);
    let queued = 0;
    let frameTimer: ReturnType<typeof setTimeout> | undefined;
    const onFrameTimeout = (): void => {
      // Our own backpressure (paused reads) or a message still being handled is not the peer's slowness.
      if (socket.isPaused() || queued > 0) {
        frameTimer = setTimeout(onFrameTimeout, config.frameTimeoutMs);
        return;
      }
      log(
        `inbound-hl7: a message from ${peer} did not arrive whole within ${config.frameTimeoutMs} ms (frameTimeoutMs); connection closed`,
      );
      socket.destroy();
    };
    socket.setTimeout(config.idleTimeoutMs, () => {
      if (queued > 0) {
        socket.setTimeout(config.idleTimeoutMs);
        return;
      }
      log(`inbound-hl7: ${peer} sent nothing for ${config.idleTimeoutMs} ms (idleTimeoutMs); connection closed`);
      socket.destroy();
    });
    const decoder = new MllpDecoder({
      maxFrameBytes: config.maxFrameBytes,
      onOversizedFrame: (bytes) => {
        log(
          `inbound-hl7: a frame from ${socket.remoteAddress ?? '?'} exceeded ${config.maxFrameBytes} bytes (${bytes}); connection closed`,
        );
        socket.destroy();
      },
    });
    const handle = async (frame: Uint8Array): Promise<void> => {
      const { outcome, reply } = await processFrame(frame);
      log(`inbound-hl7: ${describeOutcome(outcome)}`);
      if (outcome.kind === 'stored') options.onStored?.(frame, outcome);
      if (reply && !socket.destroyed) socket.write(frameMllp(reply));
      notify(outcome);
    };
    socket.on('data', (chunk: Buffer) => {
      // After close() nothing new is taken on: the sender gets no ACK and will retransmit.
      if (closing) return;
      // The clock runs from a message's first byte (or stray bytes') until it is complete.
      frameTimer ??= setTimeout(onFrameTimeout, config.frameTimeoutMs);
      const frames = decoder.push(chunk);
      if (frames.length > 0) {
        clearTimeout(frameTimer);
        frameTimer = decoder.pendingBytes > 0 ? setTimeout(onFrameTimeout, config.frameTimeoutMs) : undefined;
      }
      for (const frame of frames) {
        queued++;
        if (queued >= MAX_QUEUED_PER_CONNECTION) socket.pause();
        queue = queue
          .then(() => handle(frame))
          .catch((error: unknown) => log(`inbound-hl7: unexpected failure: ${error instanceof Error ? error.message : String(error)}`))
          .finally(() => {
            queued--;
            if (queued < MAX_QUEUED_PER_CONNECTION && socket.isPaused() && !socket.destroyed) socket.resume();
          });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(frameTimer);
      sockets.delete(socket);
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left > 0) perPeer.set(peer, left);
      else perPeer.delete(peer);
    });
  });
  server.maxConnections = config.maxConnections;

  await listenOn(server, config, () => void thread.close());
  server.on('error', (error) => log(`inbound-hl7: ${error.message}`));
  const address = server.address() as AddressInfo;
  log(`inbound-hl7: listening on ${address.address}:${address.port} for source "${config.sourceId}"`);

  return {
    host: address.address,
    port: address.port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await queue;
        for (const socket of sockets) socket.destroy();
        await thread.close();
        await stopped;
      })();
      return closing;
    },
  };
}
