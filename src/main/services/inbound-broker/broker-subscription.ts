/**
 * The workstation's subscription to the hospital's message broker (AMQP 0-9-1). It declares its
 * own durable queue (dead-lettering to the configured exchange) bound to `adt.<ward>` and
 * `oru.<ward>` of its wards, consumes with a bounded prefetch, and answers each delivery only
 * after the outcome is durable in the cache: ack when stored (or already stored), a confirmed
 * publish to the dead-letter exchange with the reason and then ack for a poison message, and a
 * delayed requeue when the cache could not write. Deliveries are stored one at a time across
 * connections (their conversion may run ahead), so a redelivery after a reconnect meets the
 * journal only after its original was committed; answers go out in arrival order. A lost connection is retried with exponential backoff and jitter.
 */
import { Duplex } from 'node:stream';
import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { BrokerConfig } from '../../../shared/config/broker.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { connectUrlOf, displayUrlOf, type SecretSource } from './broker-url.ts';
import type { Decision, Delivery } from './delivery-handler.ts';
import { bindingKeysOf, deadLetterQueueOf, parseRoutingKey, queueNameOf, REASON_HEADER } from './routing.ts';

export type BrokerState = 'connecting' | 'connected' | 'waiting' | 'stopped';

/** An ADT event was stored: for the ward worklist (census). */
export interface AdtArrived {
  ward: string;
  messageType: string;
  messageId: string;
  patients: SourcePatientRef[];
  format: 'hl7v2' | 'fhir';
  /** The stored message as delivered (the census reads its ADT facts). */
  body: Uint8Array;
}

/** Every handled delivery, for the log, tests and the bench; ids only, never patient data. */
export interface BrokerOutcome {
  routingKey: string;
  decision: Decision;
  redelivered: boolean;
  /** From the delivery's arrival to the decision (stored, dead-lettered…). */
  handledMs: number;
}

export interface BrokerSubscriptionOptions {
  config: BrokerConfig;
  handle: (delivery: Delivery) => Promise<Decision>;
  secrets?: SecretSource;
  /** The wards to bind when the configuration names none (the signed-in user's); settable later. */
  initialWards?: readonly string[];
  onPatientUpdated?: (ref: SourcePatientRef) => void;
  onAdt?: (event: AdtArrived) => void;
  onOutcome?: (outcome: BrokerOutcome) => void;
  onState?: (state: BrokerState) => void;
  log?: (line: string) => void;
}

export interface BrokerSubscription {
  readonly queue: string;
  state(): BrokerState;
  /** Deliveries answered since start, by decision (for a status line and the benchmark). */
  counts(): Readonly<Record<Decision['action'] | 'stored', number>>;
  wards(): readonly string[];
  /** Listens for stored ADT events (the ward worklist's census); returns the unsubscribe. */
  onAdtArrived(listener: (event: AdtArrived) => void): () => void;
  /** Binds these wards' keys and unbinds the others' (ignored when the configuration names wards). */
  setWards(wards: readonly string[]): Promise<void>;
  /**
   * Stops consuming, lets the delivery being handled finish, closes the connection — within
   * `closeTimeoutMs`; a mute broker's socket is then cut and a BrokerTimeoutError rejects.
   */
  close(): Promise<void>;
}

/** What a bounded wait on the broker was for. */
export type BrokerWaitStep = 'connect' | 'cancel' | 'in-flight delivery' | 'close' | 'reconnect loop';

/** A wait on the broker ran out: `step` names what was awaited. Nothing is lost: unanswered deliveries stay with the broker. */
export class BrokerTimeoutError extends Error {
  readonly code = 'broker-timeout';
  readonly step: BrokerWaitStep;
  readonly ms: number;
  constructor(step: BrokerWaitStep, ms: number) {
    super(`broker: no answer to ${step} within ${ms} ms`);
    this.name = 'BrokerTimeoutError';
    this.step = step;
    this.ms = ms;
  }
}

/** `work`, or a BrokerTimeoutError once `ms` have passed; the timer never outlives the race. */
async function within<T>(work: Promise<T>, ms: number, step: BrokerWaitStep): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BrokerTimeoutError(step, ms)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** After the socket is cut, the session notices at once; this only covers a handshake still pending. */
const CUT_GRACE_MS = 1000;

/**
 * Destroys a mute broker's socket. amqplib keeps it as `connection.stream` (absent from its
 * typings); destroyed with an error, the connection closes and emits 'close' like a reset would.
 */
function cutSocket(model: ChannelModel | undefined, reason: Error): void {
  const stream: unknown = (model?.connection as { stream?: unknown } | undefined)?.stream;
  if (stream instanceof Duplex) stream.destroy(reason);
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** The exchanges, the dead-letter queue and this workstation's queue; `bindWards` then binds its keys. */
async function declareTopology(
  ch: ConfirmChannel,
  config: BrokerConfig,
  queue: string,
  deadQueue: string,
  bindWards: () => Promise<void>,
): Promise<void> {
  await ch.assertExchange(config.exchange, 'topic', { durable: true });
  await ch.assertExchange(config.deadLetterExchange, 'topic', { durable: true });
  await ch.assertQueue(deadQueue, { durable: true });
  await ch.bindQueue(deadQueue, config.deadLetterExchange, '#');
  // Durable and not exclusive: deliveries wait here while the workstation is off or reconnecting.
  await ch.assertQueue(queue, { durable: true, arguments: { 'x-dead-letter-exchange': config.deadLetterExchange } });
  // Bindings are durable: the ones of wards dropped while disconnected are removed now.
  await bindWards();
  await ch.prefetch(config.prefetch);
}

/** What answering a delivery needs from its subscription. */
interface AnswerContext {
  config: BrokerConfig;
  queue: string;
  log: (line: string) => void;
  signal: AbortSignal;
}

async function deadLetter(context: AnswerContext, ch: ConfirmChannel, message: ConsumeMessage, reason: string): Promise<void> {
  const { config, queue } = context;
  const headers = {
    ...(message.properties.headers ?? {}),
    [REASON_HEADER]: reason.slice(0, 1000),
    'x-huizhen-queue': queue,
    'x-original-routing-key': message.fields.routingKey,
  };
  await new Promise<void>((resolve, reject) => {
    ch.publish(
      config.deadLetterExchange,
      message.fields.routingKey,
      message.content,
      {
        persistent: true,
        headers,
        ...(message.properties.contentType ? { contentType: message.properties.contentType } : {}),
        ...(message.properties.messageId ? { messageId: message.properties.messageId } : {}),
      },
      (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    );
  });
}

function answer(context: AnswerContext, ch: ConfirmChannel, message: ConsumeMessage, decision: Decision): Promise<void> {
  const { config, log, signal } = context;
  // The channel may have closed while the message was stored: the broker then delivers it
  // again, and the journal recognises it. Nothing here may throw past the delivery.
  const guard = (run: () => void): void => {
    try {
      run();
    } catch {
      // Channel closed.
    }
  };
  if (decision.action === 'ack') {
    guard(() => ch.ack(message));
    return Promise.resolve();
  }
  if (decision.action === 'dead-letter') {
    return deadLetter(context, ch, message, decision.reason).then(
      () => guard(() => ch.ack(message)),
      (error: unknown) => log(`broker: dead-lettering ${decision.messageId} failed (${String(error)}); it will be delivered again`),
    );
  }
  // Retry: give the cache a moment before the broker hands it back.
  return sleep(Math.min(config.reconnectMaxMs, 1000), signal).then(() => guard(() => ch.nack(message, false, true)));
}

/** Returns a caller of subscriber callbacks that logs their exceptions instead of throwing. */
function callbackGuard(log: (line: string) => void): (call: () => void) => void {
  return (call) => {
    try {
      call();
    } catch (error) {
      // A subscriber's bug must not stop the next delivery from being stored.
      log(`broker: a callback failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** The parts of an AMQP message the delivery handler reads. */
function deliveryOf(message: ConsumeMessage): Delivery {
  return {
    body: message.content,
    routingKey: message.fields.routingKey,
    contentType: message.properties.contentType as string | undefined,
    messageId: message.properties.messageId as string | undefined,
  };
}

/** Logs why a delivery was not stored (dead-lettered or left for a retry); stored ones are not logged here. */
function logUnstored(log: (line: string) => void, decision: Decision): void {
  if (decision.action === 'dead-letter') log(`broker: ${decision.messageId} to the dead-letter queue: ${decision.reason}`);
  if (decision.action === 'retry') log(`broker: ${decision.messageId} not stored, left with the broker: ${decision.reason}`);
}

/** The census event for a stored ADT message (by routing key or message type); undefined for other messages. */
function adtEventOf(delivery: Delivery, decision: Extract<Decision, { action: 'ack' }>): AdtArrived | undefined {
  const route = parseRoutingKey(delivery.routingKey);
  if (route?.kind !== 'adt' && !decision.messageType.startsWith('ADT')) return undefined;
  return {
    ward: route?.ward ?? '',
    messageType: decision.messageType,
    messageId: decision.messageId,
    patients: decision.patients,
    format: decision.format,
    body: delivery.body,
  };
}

/** What the reconnect loop needs from its subscription. */
interface ReconnectContext {
  config: BrokerConfig;
  where: string;
  log: (line: string) => void;
  signal: AbortSignal;
  /** One connection's lifetime: resolves when it closes, rejects when it could not be set up. */
  session: () => Promise<void>;
  setState: (state: BrokerState) => void;
}

/** Runs sessions until the signal aborts, waiting with exponential backoff and jitter between them. */
async function keepReconnecting({ config, where, log, signal, session, setState }: ReconnectContext): Promise<void> {
  let delay = config.reconnectInitialMs;
  while (!signal.aborted) {
    const began = Date.now();
    try {
      await session();
    } catch (error) {
      log(`broker: ${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (signal.aborted) break;
    // A session that lasted resets the backoff; a broker that keeps refusing is asked less often.
    if (Date.now() - began > config.reconnectMaxMs) delay = config.reconnectInitialMs;
    setState('waiting');
    const wait = delay * (0.8 + Math.random() * 0.4);
    log(`broker: connection lost; retrying in ${Math.round(wait)} ms`);
    await sleep(wait, signal);
    delay = Math.min(delay * 2, config.reconnectMaxMs);
  }
  setState('stopped');
}

/** What closing a subscription waits on, in order. */
interface ClosingSteps {
  cancel(): Promise<unknown>;
  work(): Promise<unknown>;
  closeConnection(): Promise<unknown>;
  cut(reason: Error): void;
  running: Promise<void>;
  log: (line: string) => void;
}

/**
 * No new deliveries, then the one being stored is answered, then the connection goes;
 * unacknowledged prefetched messages return to the queue for the next start. A broker that
 * stops answering cannot hold the workstation's shutdown: each wait has the rest of `ms`, then
 * the socket is cut (the broker requeues what was not acknowledged) and the first timeout is
 * rethrown, typed, once everything is down.
 */
async function closeWithin(ms: number, steps: ClosingSteps): Promise<void> {
  const deadline = Date.now() + ms;
  const left = () => Math.max(0, deadline - Date.now());
  let timedOut: BrokerTimeoutError | undefined;
  // A step within the close's deadline times out "within ms" (the configured bound), however much of it the steps before used.
  const bounded = async (wait: Promise<unknown>, step: BrokerWaitStep, own?: number) => {
    try {
      await within(wait, own ?? left(), step);
    } catch (error) {
      if (!(error instanceof BrokerTimeoutError)) return;
      const typed = own === undefined ? new BrokerTimeoutError(step, ms) : error;
      timedOut ??= typed;
      steps.log(typed.message);
    }
  };
  await bounded(steps.cancel(), 'cancel');
  if (!timedOut) await bounded(steps.work(), 'in-flight delivery');
  if (!timedOut) await bounded(steps.closeConnection(), 'close');
  // The AMQP goodbye went unanswered: cut the socket, so the session sees its connection close.
  if (timedOut) steps.cut(timedOut);
  // A handshake still pending has no socket to cut here: amqplib ends it at connectTimeoutMs.
  await bounded(steps.running, 'reconnect loop', Math.max(left(), CUT_GRACE_MS));
  if (timedOut) throw timedOut;
}

export function startBrokerConsumer(options: BrokerSubscriptionOptions): BrokerSubscription {
  const { config } = options;
  const log = options.log ?? (() => {});
  const queue = queueNameOf(config);
  const deadQueue = deadLetterQueueOf(config);
  const where = displayUrlOf(config);
  const stop = new AbortController();
  let state: BrokerState = 'connecting';
  let wards = [...(config.wards ?? options.initialWards ?? [])];
  let bound = new Set<string>();
  let model: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;
  let work: Promise<void> = Promise.resolve();
  let consumer: { ch: ConfirmChannel; consumerTag: string } | undefined;
  const adtListeners = new Set<(event: AdtArrived) => void>();
  const counts = { ack: 0, 'dead-letter': 0, retry: 0, stored: 0 };

  function setState(next: BrokerState): void {
    if (state === next) return;
    state = next;
    safely(() => options.onState?.(next));
  }

  const safely = callbackGuard(log);

  /** `all`: bind every wanted key again (after a reconnect the queue may have been redeclared empty). */
  async function bindTo(ch: ConfirmChannel, next: readonly string[], all = false): Promise<void> {
    const wanted = new Set(bindingKeysOf(next));
    for (const key of wanted) if (all || !bound.has(key)) await ch.bindQueue(queue, config.exchange, key);
    for (const key of bound) if (!wanted.has(key)) await ch.unbindQueue(queue, config.exchange, key);
    bound = wanted;
  }

  /** Handling starts at arrival (conversion overlaps the previous store); answers go out in arrival order. */
  function onDelivery(ch: ConfirmChannel, message: ConsumeMessage): void {
    const started = performance.now();
    const delivery = deliveryOf(message);
    const deciding = options.handle(delivery);
    deciding.catch(() => undefined);
    work = work
      .then(async () => finish(ch, message, delivery, await deciding, started))
      .catch((error: unknown) => log(`broker: unexpected failure: ${String(error)}`));
  }

  async function finish(
    ch: ConfirmChannel,
    message: ConsumeMessage,
    delivery: Delivery,
    decision: Decision,
    started: number,
  ): Promise<void> {
    await answer({ config, queue, log, signal: stop.signal }, ch, message, decision);
    counts[decision.action] += 1;
    if (decision.action === 'ack' && decision.stored) counts.stored += 1;
    const outcome: BrokerOutcome = {
      routingKey: delivery.routingKey,
      decision,
      redelivered: message.fields.redelivered,
      handledMs: performance.now() - started,
    };
    logUnstored(log, decision);
    safely(() => options.onOutcome?.(outcome));
    if (decision.action !== 'ack' || !decision.stored) return;
    for (const ref of decision.patients) safely(() => options.onPatientUpdated?.(ref));
    const event = adtEventOf(delivery, decision);
    if (event) {
      safely(() => options.onAdt?.(event));
      for (const listener of adtListeners) safely(() => listener(event));
    }
  }

  async function session(): Promise<void> {
    setState('connecting');
    const url = new URL(connectUrlOf(config, options.secrets));
    // Heartbeats find a silently dead link (a cut cable, a dropped NAT entry) within seconds.
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', '10');
    // amqplib's `timeout` covers the TCP connect and the AMQP handshake: a port that accepts and never answers fails here.
    const connection = await amqp.connect(url.toString(), { timeout: config.connectTimeoutMs }).catch((error: unknown) => {
      throw error instanceof Error && /ETIMEDOUT/.test(error.message) ? new BrokerTimeoutError('connect', config.connectTimeoutMs) : error;
    });
    model = connection;
    const closed = new Promise<void>((resolve) => {
      connection.on('close', () => resolve());
      connection.on('error', (error: Error) => log(`broker: connection error: ${error.message}`));
    });
    const ch = await connection.createConfirmChannel();
    ch.on('error', (error: Error) => log(`broker: channel error: ${error.message}`));
    ch.on('close', () => {
      if (channel === ch) channel = undefined;
      // A channel closed by the broker (e.g. a declaration refused) ends this session too.
      connection.close().catch(() => {});
    });
    const abandon = async (): Promise<boolean> => {
      // close() came while connecting: nothing is being handled yet, so the connection just goes.
      if (!stop.signal.aborted) return false;
      await connection.close().catch(() => {});
      return true;
    };
    if (await abandon()) return;
    await declareTopology(ch, config, queue, deadQueue, () => bindTo(ch, wards, true));
    if (await abandon()) return;
    channel = ch;
    const { consumerTag } = await ch.consume(queue, (message) => {
      if (!message) return; // Cancelled by the broker (queue deleted): the connection closes and we redeclare.
      onDelivery(ch, message);
    });
    consumer = { ch, consumerTag };
    setState('connected');
    log(`broker: consuming ${queue} on ${where} (${[...bound].join(', ') || 'no wards yet'})`);
    await closed;
    channel = undefined;
    model = undefined;
  }

  const running = keepReconnecting({ config, where, log, signal: stop.signal, session, setState });

  let closing: Promise<void> | undefined;
  return {
    queue,
    state: () => state,
    counts: () => ({ ...counts }),
    wards: () => wards,
    onAdtArrived(listener) {
      adtListeners.add(listener);
      return () => adtListeners.delete(listener);
    },
    async setWards(next) {
      if (config.wards) return;
      wards = [...next];
      const ch = channel;
      if (ch) await bindTo(ch, wards);
      log(`broker: bound to ${bindingKeysOf(wards).join(', ') || 'no wards'}`);
    },
    close() {
      stop.abort();
      closing ??= closeWithin(config.closeTimeoutMs, {
        cancel: () => (consumer && channel === consumer.ch ? consumer.ch.cancel(consumer.consumerTag).catch(() => {}) : Promise.resolve()),
        work: () => work,
        closeConnection: () => model?.close().catch(() => {}) ?? Promise.resolve(),
        cut: (reason) => cutSocket(model, reason),
        running,
        log,
      }).catch((error: unknown) => {
        // The loop may still be in a handshake amqplib ends later: stopped is what the workstation did.
        setState('stopped');
        throw error;
      });
      return closing;
    },
  };
}
