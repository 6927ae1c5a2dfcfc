import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/services/security/content-security-policy.ts';
import { mimeTypeFor } from '../../src/main/services/static-files/mime-types.ts';
import { resolveStaticFile } from '../../src/main/services/static-files/resolve-static-file.ts';
import { serveStaticFile } from '../../src/main/services/static-files/index.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'huizhen-static-'));
  root = path.join(base, 'dist-renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>Huizhen</title>',
    'assets/app.js': 'export {};',
    'assets/worker.mjs': 'export {};',
    'assets/app.css': 'body{}',
    'assets/app.js.map': '{}',
    'assets/codec.wasm': '\0asm',
    'assets/data.json': '{}',
    'assets/logo.svg': '<svg/>',
    'assets/logo.png': 'png',
    'assets/font.woff2': 'woff2',
    'assets/notes.xyz': 'unknown type',
    'assets/index.html': 'nested index',
    '.env': 'SECRET=1',
  };
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(root, name), body);
  await writeFile(path.join(base, 'secret.txt'), 'outside the root');
  await writeFile(path.join(base, 'secret.js'), 'outside the root');
  await symlink(path.join(base, 'secret.js'), path.join(root, 'assets', 'escape.js'));
  await symlink(path.join(root, 'assets', 'app.js'), path.join(root, 'assets', 'alias.js'));
  await mkdir(path.join(base, 'outside-dir'));
  await writeFile(path.join(base, 'outside-dir', 'x.js'), 'outside');
  await symlink(path.join(base, 'outside-dir'), path.join(root, 'linked-dir'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveStaticFile', () => {
  it('serves the index for / and for a trailing slash', async () => {
    expect(await resolveStaticFile(root, '/')).toMatchObject({ ok: true, filePath: path.join(root, 'index.html') });
    expect(await resolveStaticFile(root, '/assets/')).toMatchObject({ ok: true, filePath: path.join(root, 'assets', 'index.html') });
  });

  it.each([
    ['/../secret.txt'],
    ['/assets/../../secret.txt'],
    ['/%2e%2e/secret.txt'],
    ['/%2E%2E/secret.txt'],
    ['/.%2e/secret.txt'],
    ['/assets/..%2f..%2fsecret.txt'],
    ['/assets/%2e%2e%2f%2e%2e%2fsecret.txt'],
    ['/..%5csecret.txt'],
    ['/assets\\..\\..\\secret.txt'],
    ['/index.html%00.js'],
    ['/index.html\0'],
    ['//etc/passwd'],
    ['/%2fetc%2fpasswd'],
    ['etc/passwd'],
    ['/C:%5cWindows%5cwin.ini'],
    ['/C:/Windows/win.ini'],
    ['/.env'],
    ['/%E0%A4%A'],
  ])('refuses %j', async (urlPath) => {
    const result = await resolveStaticFile(root, urlPath);
    expect(result.ok).toBe(false);
  });

  it('refuses symlinks that lead outside the root, follows those that stay inside', async () => {
    expect(await resolveStaticFile(root, '/assets/escape.js')).toEqual({ ok: false, reason: 'outside-root' });
    expect(await resolveStaticFile(root, '/linked-dir/x.js')).toEqual({ ok: false, reason: 'outside-root' });
    expect(await resolveStaticFile(root, '/assets/alias.js')).toMatchObject({ ok: true, filePath: path.join(root, 'assets', 'app.js') });
  });

  it('refuses unknown types, missing files and directories', async () => {
    expect(await resolveStaticFile(root, '/assets/notes.xyz')).toEqual({ ok: false, reason: 'unsupported-type' });
    expect(await resolveStaticFile(root, '/assets/missing.js')).toEqual({ ok: false, reason: 'not-found' });
    expect(await resolveStaticFile(root, '/assets')).toEqual({ ok: false, reason: 'unsupported-type' });
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.js.map', 'application/json; charset=utf-8'],
    ['codec.WASM', 'application/wasm'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['a.woff2', 'font/woff2'],
  ])('%s → %s', (name, type) => {
    expect(mimeTypeFor(name)).toBe(type);
  });

  it('has no type for unknown extensions, dotfiles or inherited object keys', () => {
    expect(mimeTypeFor('a.exe')).toBeUndefined();
    expect(mimeTypeFor('.html')).toBeUndefined();
    expect(mimeTypeFor('a.constructor')).toBeUndefined();
    expect(mimeTypeFor('Makefile')).toBeUndefined();
  });
});

describe('serveStaticFile', () => {
  const serve = (url: string, init?: RequestInit & { urlPath?: string }) =>
    serveStaticFile(new Request(url, init), { rootDir: root, ...(init?.urlPath ? { urlPath: init.urlPath } : {}) });

  it('serves a file with its type, length and the security headers', async () => {
    const response = await serve('app://huizhen/assets/codec.wasm');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/wasm');
    expect(response.headers.get('content-length')).toBe('4');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d]));
  });

  it('answers HEAD without a body', async () => {
    const response = await serve('app://huizhen/index.html', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('ignores the query string', async () => {
    const response = await serve('app://huizhen/assets/app.css?v=3#x');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    ['app://huizhen/../secret.txt', undefined],
    ['app://huizhen/%2e%2e/secret.txt', undefined],
    ['http://127.0.0.1:4000/x', '/..%2fsecret.txt'],
    ['http://127.0.0.1:4000/x', '/assets/..\\..\\secret.txt'],
    ['app://huizhen/assets/escape.js', undefined],
    ['app://huizhen/assets/notes.xyz', undefined],
    ['app://huizhen/nothing.js', undefined],
  ])('refuses %s (raw path %s) with the security headers and no detail', async (url, urlPath) => {
    const response = await serve(url, urlPath ? { urlPath } : undefined);
    expect([400, 404]).toContain(response.status);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await response.text();
    expect(body).not.toContain(base);
    expect(body).not.toContain('outside the root');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await serve('app://huizhen/index.html', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
