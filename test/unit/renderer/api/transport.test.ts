import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../../src/renderer/api/api-error.ts';
import { backoffDelay, EventSocket, type SocketLike } from '../../../../src/renderer/api/event-socket.ts';
import { createHttpApi } from '../../../../src/renderer/api/http-client.ts';
import { withResponseValidation } from '../../../../src/renderer/api/validate.ts';
import type { HuizhenApi } from '../../../../src/shared/api/client.ts';
import type { ApiEvent } from '../../../../src/shared/api/events.ts';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const noSocket = () => ({ onopen: null, onmessage: null, onclose: null, onerror: null, close() {} }) as SocketLike;

describe('http client', () => {
  it('POSTs JSON to /api/<method> on the same origin and validates the response', async () => {
    const fetch = vi.fn(async () => json(200, { sources: [{ sourceId: 'his', name: 'HIS', kind: 'hl7v2', state: 'ok' }] }));
    const api = createHttpApi({ fetch, eventsUrl: 'ws://x/api/events', createWebSocket: noSocket });
    const res = await api.listSources({});
    expect(res.sources[0]?.name).toBe('HIS');
    expect(fetch).toHaveBeenCalledWith('/api/listSources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    });
  });
  it('throws ApiError with the body message on non-2xx', async () => {
    const fetch = vi.fn(async () => json(400, { error: { code: 'invalid-request', message: 'invalid searchPatients request' } }));
    const api = createHttpApi({ fetch, eventsUrl: 'ws://x', createWebSocket: noSocket });
    const error = await api.searchPatients({ query: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid-request', message: 'invalid searchPatients request', status: 400 });
  });
  it('carries why access was denied, so the screen offers break-the-glass only where it can help', async () => {
    const fetch = vi.fn(async () => json(403, { error: { code: 'access-denied', message: 'not one person', denial: 'not-one-person' } }));
    const api = createHttpApi({ fetch, eventsUrl: 'ws://x', createWebSocket: noSocket });
    await expect(api.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: 'a' }] })).rejects.toMatchObject({
      code: 'access-denied',
      denial: 'not-one-person',
      status: 403,
    });
    const odd = createHttpApi({
      fetch: async () => json(403, { error: { code: 'access-denied', message: 'x', denial: 'made-up' } }),
      eventsUrl: 'ws://x',
      createWebSocket: noSocket,
    });
    await expect(odd.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: 'a' }] })).rejects.toMatchObject({
      code: 'access-denied',
      denial: undefined,
    });
  });
  it('rejects a response that fails the contract, and network failures', async () => {
    const bad = createHttpApi({ fetch: async () => json(200, { sources: 'nope' }), eventsUrl: 'ws://x', createWebSocket: noSocket });
    await expect(bad.listSources({})).rejects.toMatchObject({ code: 'invalid-response' });
    const down = createHttpApi({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
      eventsUrl: 'ws://x',
      createWebSocket: noSocket,
    });
    await expect(down.listSources({})).rejects.toMatchObject({ code: 'network' });
  });
  it('validates what the Electron preload returns too', async () => {
    const preload = {
      listSources: async () => ({ sources: [{ sourceId: 'a' }] }),
      onEvent: () => () => {},
    } as unknown as HuizhenApi;
    await expect(withResponseValidation(preload).listSources({})).rejects.toMatchObject({ code: 'invalid-response' });
  });
});

describe('event socket', () => {
  function harness() {
    const sockets: (SocketLike & { url: string; closed: boolean })[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const es = new EventSocket({
      url: 'ws://127.0.0.1/api/events',
      createWebSocket: (url) => {
        const s = {
          url,
          closed: false,
          onopen: null,
          onmessage: null,
          onclose: null,
          onerror: null,
          close() {
            this.closed = true;
          },
        };
        sockets.push(s);
        return s;
      },
      random: () => 0.5,
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => {},
    });
    return { es, sockets, timers };
  }
  const fire = (s: SocketLike, kind: 'open' | 'close') => {
    if (kind === 'open') (s.onopen as unknown as () => void)();
    else (s.onclose as unknown as () => void)();
  };
  const message = (s: SocketLike, data: string) => (s.onmessage as unknown as (ev: { data: string }) => void)({ data });

  it('delivers valid events, drops invalid ones, reconnects with backoff and closes when unused', () => {
    const { es, sockets, timers } = harness();
    const got: ApiEvent[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const off = es.subscribe((e) => got.push(e));
    expect(sockets).toHaveLength(1);
    fire(sockets[0]!, 'open');
    message(sockets[0]!, JSON.stringify({ type: 'source.status', status: { sourceId: 'a', name: 'A', kind: 'fhir', state: 'ok' } }));
    message(sockets[0]!, JSON.stringify({ type: 'source.status', status: { sourceId: 'a' } }));
    message(sockets[0]!, 'not json');
    expect(got).toHaveLength(1);
    fire(sockets[0]!, 'close');
    expect(timers.map((t) => t.ms)).toEqual([500]);
    timers[0]!.fn();
    expect(sockets).toHaveLength(2);
    fire(sockets[1]!, 'close');
    expect(timers.map((t) => t.ms)).toEqual([500, 1000]);
    timers[1]!.fn();
    off();
    expect(sockets[2]!.closed).toBe(true);
    warn.mockRestore();
  });
  it('caps the backoff', () => {
    expect(backoffDelay(20, 500, 15_000, 0.5)).toBe(15_000);
    expect(backoffDelay(0, 500, 15_000, 0)).toBe(375);
  });
});
