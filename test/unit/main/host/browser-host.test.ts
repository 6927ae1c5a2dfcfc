import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEvent } from '../../../../src/shared/api/events.ts';
import { startBrowserHost, type BrowserHost } from '../../../../src/main/host/browser-host.ts';
import { CONTENT_SECURITY_POLICY } from '../../../../src/main/services/security/content-security-policy.ts';
import { serveStaticFile } from '../../../../src/main/services/static-files/index.ts';
import { fakeBackend } from './fake-backend.ts';

const { backend, emit } = fakeBackend({
  listSources: async () => ({ sources: [{ sourceId: 'cdr', name: 'CDR', kind: 'fhir', state: 'idle' }] }),
});

const rendererDir = mkdtempSync(join(tmpdir(), 'huizhen-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Huizhen</title>');

let host: BrowserHost;
let cookie: string;

/** Raw HTTP so tests control Host and Origin headers exactly as an attacker would. */
function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: init.method ?? 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...init.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

beforeAll(async () => {
  host = await startBrowserHost({ backend, staticHandler: (r) => serveStaticFile(r, { rootDir: rendererDir }) });
  const login = await raw(new URL(host.url).pathname + new URL(host.url).search);
  expect(login.status).toBe(303);
  cookie = String(login.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => host.close());

describe('browser host', () => {
  it('listens on loopback only', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('exchanges the one-time token for an HttpOnly SameSite=Strict cookie, and the token then stops working', async () => {
    const url = host.newLoginUrl();
    const first = await raw(new URL(url).pathname + new URL(url).search);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const again = await raw(new URL(url).pathname + new URL(url).search);
    expect(again.status).toBe(401);
  });

  it('refuses requests without the session cookie (401), with the CSP still set', async () => {
    const res = await raw('/');
    expect(res.status).toBe(401);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const api = await raw('/api/listSources', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.origin },
      body: '{}',
    });
    expect(api.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with a valid cookie', async () => {
    const res = await raw('/', { headers: { host: 'evil.example:80', cookie } });
    expect(res.status).toBe(421);
  });

  it('refuses API calls from another origin or without an Origin', async () => {
    const foreign = await raw('/api/listSources', {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const none = await raw('/api/listSources', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(403);
  });

  it('serves the renderer with the CSP to a signed-in browser', async () => {
    const res = await raw('/', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Huizhen</title>');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('dispatches validated API calls and rejects invalid payloads and unknown methods with typed errors', async () => {
    const headers = { cookie, origin: host.origin, 'content-type': 'application/json' };
    const ok = await raw('/api/listSources', { method: 'POST', headers, body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).sources[0].sourceId).toBe('cdr');
    const invalid = await raw('/api/searchPatients', { method: 'POST', headers, body: JSON.stringify({ query: '' }) });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.code).toBe('invalid-request');
    const unknown = await raw('/api/deleteEverything', { method: 'POST', headers, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('unknown-method');
    const notJson = await raw('/api/listSources', { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(415);
  });

  it('streams events over the WebSocket only to a signed-in page of our origin', async () => {
    const wsUrl = `ws://127.0.0.1:${host.port}/api/events`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { headers: { origin: 'http://evil.example', cookie } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => {});
    });
    expect(refused).toBe(403);

    const ws = new WebSocket(wsUrl, { headers: { origin: host.origin, cookie } });
    await new Promise((resolve) => ws.on('open', resolve));
    const received = new Promise<ApiEvent>((resolve) => ws.on('message', (data) => resolve(JSON.parse(String(data)))));
    const event: ApiEvent = { type: 'source.status', status: { sourceId: 'cdr', name: 'CDR', kind: 'fhir', state: 'ok' } };
    emit(event);
    expect(await received).toEqual(event);
    ws.close();
  });
});

/** Resolves with the connection error code, or 'connected' if something accepted it. */
function tryConnect(address: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** What a WebSocket upgrade to /api/events gets with these headers: the refusal status, or 101. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => {});
  });
}

describe('browser host access checks', () => {
  it('accepts connections on 127.0.0.1 only: not on other loopback addresses, not on the network', async () => {
    expect(await tryConnect('127.0.0.1', host.port)).toBe('connected');
    // Bound to 0.0.0.0 the host would answer 127.0.0.2 too (Linux routes all of 127/8 to lo).
    expect(await tryConnect('127.0.0.2', host.port)).toBe('ECONNREFUSED');
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const address of external) expect(await tryConnect(address, host.port), address).toBe('ECONNREFUSED');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, host-only and for this browser session only', async () => {
    const url = new URL(host.newLoginUrl());
    const res = await raw(url.pathname + url.search);
    const attributes = String(res.headers['set-cookie'])
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes.sort()).toEqual(['httponly', 'path=/', 'samesite=strict']);
    // The token must not leak onwards: no Referer from the redirected page, nothing cached.
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.location).not.toMatch(/token/);
  });

  it('answers 401 to a wrong token, an unknown session cookie and no cookie, on pages and API alike', async () => {
    expect((await raw('/?token=not-the-token')).status).toBe(401);
    const forged = 'huizhen_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect((await raw('/', { headers: { cookie: forged } })).status).toBe(401);
    const api = { method: 'POST', headers: { origin: host.origin, 'content-type': 'application/json' }, body: '{}' };
    expect((await raw('/api/listSources', api)).status).toBe(401);
    expect((await raw('/api/listSources', { ...api, headers: { ...api.headers, cookie: forged } })).status).toBe(401);
  });

  it('refuses a Host naming another port or name, and accepts localhost', async () => {
    expect((await raw('/', { headers: { host: `127.0.0.1:${host.port + 1}`, cookie } })).status).toBe(421);
    expect((await raw('/', { headers: { host: '127.0.0.1', cookie } })).status).toBe(421);
    expect((await raw('/', { headers: { host: `huizhen.local:${host.port}`, cookie } })).status).toBe(421);
    expect((await raw('/', { headers: { host: `localhost:${host.port}`, cookie } })).status).toBe(200);
  });

  it('refuses a page load that names a foreign Origin, even with the cookie', async () => {
    expect((await raw('/', { headers: { cookie, origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw('/', { headers: { cookie, origin: 'null' } })).status).toBe(403);
  });

  it('refuses the event socket without a cookie, with a foreign Host or without an Origin', async () => {
    expect(await upgradeStatus({ origin: host.origin })).toBe(401);
    expect(await upgradeStatus({ origin: host.origin, cookie, host: 'evil.example' })).toBe(421);
    expect(await upgradeStatus({ cookie })).toBe(403);
    expect(await upgradeStatus({ origin: host.origin, cookie })).toBe(101);
  });

  it('answers 400 to an absolute-form request target or a duplicate Host header, over a raw socket, cookie and all', async () => {
    const hostLine = `Host: 127.0.0.1:${host.port}`;
    const api = (target: string, extra = '') =>
      `POST ${target} HTTP/1.1\r\n${hostLine}\r\n${extra}Cookie: ${cookie}\r\nOrigin: ${host.origin}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
    // The well-framed request is served: the refusals below are for the framing alone.
    expect(await rawStatus(api('/api/listSources'))).toBe(200);
    expect(await rawStatus(api(`http://127.0.0.1:${host.port}/api/listSources`))).toBe(400);
    expect(await rawStatus(`GET http://127.0.0.1:${host.port}/ HTTP/1.1\r\n${hostLine}\r\nCookie: ${cookie}\r\n\r\n`)).toBe(400);
    expect(await rawStatus(`GET //evil.example/ HTTP/1.1\r\n${hostLine}\r\nCookie: ${cookie}\r\n\r\n`)).toBe(400);
    expect(await rawStatus(api('/api/listSources', `${hostLine}\r\n`))).toBe(400);
    expect(await rawStatus(api('/api/listSources', 'Host: evil.example\r\n'))).toBe(400);
    expect(await rawStatus(`GET / HTTP/1.1\r\n${hostLine}\r\nhost: evil.example\r\nCookie: ${cookie}\r\n\r\n`)).toBe(400);
  });

  it('refuses the event socket with an absolute-form target or two Host headers (400)', async () => {
    const upgrade = (target: string, extra = '') =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n${extra}Cookie: ${cookie}\r\nOrigin: ${host.origin}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    expect(await rawStatus(upgrade('/api/events'))).toBe(101);
    expect(await rawStatus(upgrade(`http://127.0.0.1:${host.port}/api/events`))).toBe(400);
    expect(await rawStatus(upgrade('/api/events', 'Host: evil.example\r\n'))).toBe(400);
  });
});

/** Writes `request` as bytes on a fresh connection and resolves with the response's status code. */
function rawStatus(request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: host.port });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const statusLine = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (statusLine) {
        socket.destroy();
        resolve(Number(statusLine[1]));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without a status line: ${JSON.stringify(received)}`)));
    socket.write(request);
  });
}
