import type { ApiEvent } from '../../shared/api/events.ts';
import type { Unsubscribe } from '../../shared/api/client.ts';
import { parseApiEvent } from './timeline-payloads.ts';

/** The subset of the DOM WebSocket we use, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((this: never, ev: Event) => unknown) | null;
  onmessage: ((this: never, ev: MessageEvent) => unknown) | null;
  onclose: ((this: never, ev: CloseEvent) => unknown) | null;
  onerror: ((this: never, ev: Event) => unknown) | null;
  close(code?: number, reason?: string): void;
}
export type WebSocketFactory = (url: string) => SocketLike;

export interface EventSocketOptions {
  url: string;
  createWebSocket?: WebSocketFactory;
  /** First reconnect delay; doubles up to maxDelayMs, with ±25% jitter. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random * 0.5));
}

/**
 * One WebSocket to the host's event stream, opened while anyone listens and re-opened with
 * jittered exponential backoff when it drops. Messages that fail ApiEventSchema are dropped
 * (timelines are checked by parseApiEvent's lean path, to the same rules).
 */
export class EventSocket {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private readonly opts: Required<EventSocketOptions>;

  constructor(options: EventSocketOptions) {
    this.opts = {
      createWebSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      initialDelayMs: 500,
      maxDelayMs: 15_000,
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  subscribe(listener: (event: ApiEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  private connect(): void {
    if (this.socket || this.timer !== null) return;
    let socket: SocketLike;
    try {
      socket = this.opts.createWebSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
    };
    socket.onmessage = (ev: MessageEvent) => this.dispatch(ev.data);
    socket.onerror = () => {
      /* onclose follows and reconnects */
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.listeners.size > 0) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt, this.opts.initialDelayMs, this.opts.maxDelayMs, this.opts.random());
    this.attempt += 1;
    this.timer = this.opts.setTimer(() => {
      this.timer = null;
      if (this.listeners.size > 0) this.connect();
    }, delay);
  }

  private disconnect(): void {
    if (this.timer !== null) {
      this.opts.clearTimer(this.timer);
      this.timer = null;
    }
    const socket = this.socket;
    this.socket = null;
    this.attempt = 0;
    socket?.close(1000, 'no listeners');
  }

  private dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.warn('huizhen: dropped an event that is not JSON');
      return;
    }
    const parsed = parseApiEvent(json);
    if (!parsed.ok) {
      console.warn(`huizhen: dropped an event that fails ApiEventSchema: ${parsed.message}`);
      return;
    }
    for (const listener of [...this.listeners]) listener(parsed.value);
  }
}
