import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppProtocolRouter, handleAppProtocol, registerAppSchemePrivileges } from '../../../../src/main/electron/app-protocol.ts';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../../../src/main/services/security/content-security-policy.ts';
import { app, protocol, resetFakeElectron } from '../../../fakes/electron.ts';

let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(tmpdir(), 'huizhen-renderer-'));
  await mkdir(path.join(rendererDir, 'assets'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html>');
  await writeFile(path.join(rendererDir, 'assets', 'decode.wasm'), '\0asm');
  await writeFile(path.join(rendererDir, 'assets', 'worker.mjs'), 'export {}');
});
afterAll(() => rm(rendererDir, { recursive: true, force: true }));
beforeEach(() => resetFakeElectron());

describe('the app:// scheme', () => {
  it('is registered as privileged with exactly the needed privileges, before ready', () => {
    registerAppSchemePrivileges();
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
    ]);
  });

  it('cannot be registered after ready (Electron ignores it then)', () => {
    app.markReady();
    expect(() => registerAppSchemePrivileges()).toThrow(/before app is ready/);
  });
});

describe('the app:// handler', () => {
  beforeEach(() => {
    handleAppProtocol(createAppProtocolRouter({ rendererDir }));
  });

  it('serves the renderer with the right types and the CSP header', async () => {
    const index = await protocol.fetch('app://huizhen/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    const wasm = await protocol.fetch('app://huizhen/assets/decode.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    const worker = await protocol.fetch('app://huizhen/assets/worker.mjs');
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://huizhen/../../etc/passwd',
    'app://huizhen/%2e%2e/%2e%2e/etc/passwd',
    'app://huizhen/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://huizhen/assets%5c..%5c..%5cetc%5cpasswd',
    'app://huizhen/index.html%00.js',
    'app://other-host/index.html',
    'app://huizhen:8080/index.html',
  ])('refuses %s and still sends the security headers', async (url) => {
    const response = await protocol.fetch(url);
    expect([400, 404]).toContain(response.status);
    for (const [name, value] of Object.entries(securityHeaders())) expect(response.headers.get(name)).toBe(value);
  });
});

describe('mounted Fetch handlers', () => {
  it('get requests under their prefix and have the security headers added', async () => {
    const router = createAppProtocolRouter({ rendererDir });
    const seen: string[] = [];
    router.mount('/dicom-web/', (request) => {
      seen.push(new URL(request.url).pathname);
      return new Response('{}', { headers: { 'Content-Type': 'application/dicom+json', 'Cache-Control': 'private' } });
    });
    handleAppProtocol(router);

    const response = await protocol.fetch('app://huizhen/dicom-web/studies?PatientID=1');
    expect(seen).toEqual(['/dicom-web/studies']);
    expect(response.headers.get('content-type')).toBe('application/dicom+json');
    expect(response.headers.get('cache-control')).toBe('private');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    expect((await protocol.fetch('app://huizhen/dicom-webx/a.js')).status).toBe(404);
    expect(seen).toHaveLength(1);
  });

  it('turn a throwing handler into a bare 500 with the security headers', async () => {
    const errors: unknown[] = [];
    const router = createAppProtocolRouter({ rendererDir, onHandlerError: (e) => errors.push(e) });
    router.mount('/dicom-web/', () => {
      throw new Error('PACS at /srv/secret said no for 张三');
    });
    const response = await router.handle(new Request('app://huizhen/dicom-web/studies'));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('Internal Error');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(errors).toHaveLength(1);
  });

  it('refuse malformed or duplicate prefixes', () => {
    const router = createAppProtocolRouter({ rendererDir });
    const handler = () => new Response();
    expect(() => router.mount('dicom-web', handler)).toThrow();
    expect(() => router.mount('/', handler)).toThrow();
    router.mount('/dicom-web/', handler);
    expect(() => router.mount('/dicom-web/', handler)).toThrow(/already mounted/);
  });
});
