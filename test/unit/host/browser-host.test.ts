import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEvent } from '../../../src/shared/api/events.ts';
import type { ApiBackend, ApiEventListener } from '../../../src/main/services/api/api-handlers.ts';
import { startBrowserHost, type BrowserHost } from '../../../src/main/host/browser-host.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/services/security/content-security-policy.ts';
import { serveStaticFile } from '../../../src/main/services/static-files/index.ts';

const listeners = new Set<ApiEventListener>();
const backend: ApiBackend = {
  handlers: {
    listSources: async () => ({ sources: [{ sourceId: 'cdr', name: 'CDR', kind: 'fhir', state: 'idle' }] }),
    searchPatients: async ({ query }) => ({ candidates: [], sources: [], echoed: query }) as never,
    openPatient: async () => ({ openId: 'o1', entries: [], sources: [] }),
    closePatient: async () => ({ closed: true }),
    confirmLink: async () => ({ ok: true }),
    unlinkPatients: async () => ({ ok: true }),
    listLinkDecisions: async () => ({ decisions: [] }),
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const rendererDir = mkdtempSync(join(tmpdir(), 'huizhen-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Huizhen</title>');

let host: BrowserHost;
let cookie: string;

/** Raw HTTP so tests control Host and Origin headers exactly as an attacker would. */
function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method: init.method ?? 'GET', headers: { host: `127.0.0.1:${host.port}`, ...init.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
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
    const api = await raw('/api/listSources', { method: 'POST', headers: { 'content-type': 'application/json', origin: host.origin }, body: '{}' });
    expect(api.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with a valid cookie', async () => {
    const res = await raw('/', { headers: { host: 'evil.example:80', cookie } });
    expect(res.status).toBe(421);
  });

  it('refuses API calls from another origin or without an Origin', async () => {
    const foreign = await raw('/api/listSources', { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
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
    for (const l of listeners) l(event);
    expect(await received).toEqual(event);
    ws.close();
  });
});
