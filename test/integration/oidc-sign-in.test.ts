/**
 * OpenID Connect sign-in against the demo identity provider (the certified oidc-provider) over
 * real loopback sockets. A tiny scripted "browser" (fetch with manual redirects and a cookie jar)
 * plays the system browser: it opens the authorization URL, submits the login form and follows
 * the redirect to Huizhen's loopback listener.
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcConfigSchema, type OidcConfig } from '../../src/shared/config/auth.ts';
import { AuthError } from '../../src/main/services/auth/auth-error.ts';
import { startOidcSignIn, type OidcSignIn } from '../../src/main/services/auth/oidc/oidc-sign-in.ts';
import { DEMO_PASSWORD, startDemoIdentityProvider, type DemoIdentityProvider } from '../../src/demo-hospital/identity-provider/index.ts';
import { rejectionOf } from '../support/rejection.ts';

/** Follows redirects by hand, keeping the IdP's cookies, as a browser would. */
class ScriptedBrowser {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<{ url: string; response: Response; body: string }> {
    return this.send(url, { method: 'GET' });
  }

  async postForm(url: string, fields: Record<string, string>): Promise<{ url: string; response: Response; body: string }> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private async send(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<{ url: string; response: Response; body: string }> {
    let current = url;
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(current, {
        ...request,
        redirect: 'manual',
        headers: { ...request.headers, ...(cookie ? { cookie } : {}) },
      });
      this.remember(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response, body: await response.text() };
      await response.body?.cancel();
      current = new URL(location, current).href;
      request = { method: 'GET' };
    }
    throw new Error('too many redirects');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** Opens the authorization URL and lands on the IdP's login form; returns the form's action URLs. */
async function openLogin(browser: ScriptedBrowser, signIn: OidcSignIn): Promise<{ login: string; abort: string }> {
  const page = await browser.get(signIn.authorizationUrl);
  expect(page.response.status).toBe(200);
  const actions = [...page.body.matchAll(/action="([^"]+)"/g)].map((m) => new URL(m[1] ?? '', page.url).href);
  const login = actions.find((a) => a.endsWith('/login'));
  const abort = actions.find((a) => a.endsWith('/abort'));
  if (!login || !abort) throw new Error(`no login form in: ${page.body.slice(0, 300)}`);
  return { login, abort };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, AuthError);

/** True when nothing accepts connections on the port any more. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Whether the promise has settled, checked after the event loop has had a turn (no timing). */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const result = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise((resolve) => setImmediate(() => resolve(marker))),
  ]);
  return result !== marker;
}

const portOf = (url: string): number => Number(new URL(url).port);

let idp: DemoIdentityProvider;
let config: OidcConfig;

beforeAll(async () => {
  idp = await startDemoIdentityProvider();
  config = OidcConfigSchema.parse({ issuer: idp.issuer, clientId: idp.clientId });
});
afterAll(async () => {
  await idp.stop();
});

describe('OIDC sign-in against the demo identity provider', () => {
  it('signs the doctor in with code + PKCE and maps the claims to a User', async () => {
    const signIn = await startOidcSignIn(config);
    const url = new URL(signIn.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('redirect_uri')).toBe(signIn.redirectUri);
    expect(signIn.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oidc\/callback$/);

    const browser = new ScriptedBrowser();
    const form = await openLogin(browser, signIn);
    const landing = await browser.postForm(form.login, { username: 'doctor', password: DEMO_PASSWORD });
    expect(landing.url.startsWith(signIn.redirectUri)).toBe(true);
    expect(landing.response.status).toBe(200);
    expect(landing.body).toContain('已登录');
    expect(landing.body).not.toMatch(/<script|<style/i);
    expect(landing.response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(landing.response.headers.get('referrer-policy')).toBe('no-referrer');

    const result = await signIn.completion;
    expect(result.user).toEqual({
      id: `oidc:${new URL(idp.issuer).host}:staff-1001`,
      displayName: '李医生',
      roles: ['ward-doctor'], // the hospital's 'teaching-staff' role is not Huizhen's: ignored
      wards: ['CARD-1'],
      practitionerId: 'D1001',
      authMethod: 'oidc',
    });
    expect(result.issuer).toBe(idp.issuer);
    expect(result.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(result.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000 + 5_000);
    expect(result.idToken.split('.')).toHaveLength(3);
    expect(await portClosed(portOf(signIn.redirectUri))).toBe(true);
  });

  it('signs in the nurse, the radiologist and the administrator with their roles', async () => {
    for (const [username, role, wards] of [
      ['nurse', 'nurse', ['CARD-1']],
      ['radiologist', 'radiologist', []],
      ['admin', 'administrator', []],
    ] as const) {
      const signIn = await startOidcSignIn(config);
      const browser = new ScriptedBrowser();
      await browser.postForm((await openLogin(browser, signIn)).login, { username, password: DEMO_PASSWORD });
      const { user } = await signIn.completion;
      expect(user.roles).toEqual([role]);
      expect(user.wards).toEqual(wards);
    }
  });

  it('keeps waiting after a wrong password at the IdP, then accepts the right one', async () => {
    const signIn = await startOidcSignIn(config);
    const browser = new ScriptedBrowser();
    const form = await openLogin(browser, signIn);
    const wrong = await browser.postForm(form.login, { username: 'doctor', password: 'not-the-password' });
    expect(wrong.response.status).toBe(401);
    expect(wrong.body).toContain('用户名或密码错误');
    expect(await isSettled(signIn.completion)).toBe(false);

    await browser.postForm(form.login, { username: 'doctor', password: DEMO_PASSWORD });
    expect((await signIn.completion).user.displayName).toBe('李医生');
  });

  it('refuses a user whose IdP roles map to no Huizhen role (no-role)', async () => {
    const signIn = await startOidcSignIn(config);
    const browser = new ScriptedBrowser();
    const landing = await browser.postForm((await openLogin(browser, signIn)).login, { username: 'visitor', password: DEMO_PASSWORD });
    expect(landing.response.status).toBe(400);
    expect(landing.body).toContain('登录未完成');
    const error = await failure(signIn.completion);
    expect(error.code).toBe('no-role');
    expect(error.message).toContain('visitor');
  });

  it('reports the user pressing Cancel at the IdP as denied', async () => {
    const signIn = await startOidcSignIn(config);
    const browser = new ScriptedBrowser();
    const landing = await browser.postForm((await openLogin(browser, signIn)).abort, {});
    expect(landing.url.startsWith(signIn.redirectUri)).toBe(true);
    expect(landing.response.status).toBe(400);
    const error = await failure(signIn.completion);
    expect(error.code).toBe('denied');
    expect(error.message).toContain('access_denied');
    expect(await portClosed(portOf(signIn.redirectUri))).toBe(true);
  });

  it('ignores a forged callback with the wrong state and still completes the real sign-in', async () => {
    const signIn = await startOidcSignIn(config);
    for (const forged of [
      `${signIn.redirectUri}?code=stolen&state=forged`,
      `${signIn.redirectUri}?code=stolen`,
      `${signIn.redirectUri}?error=access_denied`,
    ]) {
      const response = await fetch(forged);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('state mismatch');
    }
    const wrongPath = await fetch(new URL('/other', signIn.redirectUri));
    expect(wrongPath.status).toBe(404);
    expect(await isSettled(signIn.completion)).toBe(false);

    const browser = new ScriptedBrowser();
    await browser.postForm((await openLogin(browser, signIn)).login, { username: 'nurse', password: DEMO_PASSWORD });
    expect((await signIn.completion).user.roles).toEqual(['nurse']);
  });

  it('rejects a made-up code that carries the right state (invalid-response)', async () => {
    const signIn = await startOidcSignIn(config);
    const state = new URL(signIn.authorizationUrl).searchParams.get('state') ?? '';
    const response = await fetch(
      `${signIn.redirectUri}?code=made-up&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(idp.issuer)}`,
    );
    expect(response.status).toBe(400);
    const error = await failure(signIn.completion);
    expect(error.code).toBe('invalid-response');
    expect(error.message).toContain('invalid_grant');
  });

  it('rejects an ID token whose signature was tampered with', async () => {
    // Flip the ID token's signature in the token response, as a man in the middle would.
    const tampering: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/token') || !response.ok) return response;
      const body = (await response.json()) as { id_token: string };
      const [header, payload, signature = ''] = body.id_token.split('.');
      const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      return Response.json(
        { ...body, id_token: `${header}.${payload}.${flipped}` },
        { status: response.status, headers: { 'cache-control': 'no-store' } },
      );
    };
    const signIn = await startOidcSignIn(config, { fetch: tampering });
    const browser = new ScriptedBrowser();
    await browser.postForm((await openLogin(browser, signIn)).login, { username: 'doctor', password: DEMO_PASSWORD });
    const error = await failure(signIn.completion);
    expect(error.code).toBe('invalid-response');
    expect(error.message).toMatch(/signature/i);
  });

  it('closes the loopback listener when the sign-in is aborted (cancelled)', async () => {
    const controller = new AbortController();
    const signIn = await startOidcSignIn(config, { signal: controller.signal });
    expect(await portClosed(portOf(signIn.redirectUri))).toBe(false);
    controller.abort();
    expect((await failure(signIn.completion)).code).toBe('cancelled');
    expect(await portClosed(portOf(signIn.redirectUri))).toBe(true);
  });

  it('refuses to start with an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await failure(startOidcSignIn(config, { signal: controller.signal }))).code).toBe('cancelled');
  });

  it('gives up after the timeout and closes the listener (timeout)', async () => {
    const signIn = await startOidcSignIn(config, { timeoutMs: 200 });
    expect((await failure(signIn.completion)).code).toBe('timeout');
    expect(await portClosed(portOf(signIn.redirectUri))).toBe(true);
  });

  it('says idp-unreachable when the identity provider is down', async () => {
    const down = await startDemoIdentityProvider();
    await down.stop();
    const error = await failure(startOidcSignIn(OidcConfigSchema.parse({ issuer: down.issuer, clientId: down.clientId })));
    expect(error.code).toBe('idp-unreachable');
  });

  it('says idp-unreachable when the issuer serves no discovery document', async () => {
    const notAnIdp: Server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => notAnIdp.listen(0, '127.0.0.1', resolve));
    try {
      const address = notAnIdp.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const error = await failure(startOidcSignIn(OidcConfigSchema.parse({ issuer: `http://127.0.0.1:${port}`, clientId: 'x' })));
      expect(error.code).toBe('idp-unreachable');
    } finally {
      await new Promise<void>((resolve) => notAnIdp.close(() => resolve()));
    }
  });

  it('says loopback-unavailable when the configured redirect port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const address = blocker.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const error = await failure(startOidcSignIn({ ...config, redirectPort: port }));
      expect(error.code).toBe('loopback-unavailable');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('accepts a fixed redirect port (the IdP allows any loopback port for native clients)', async () => {
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const signIn = await startOidcSignIn({ ...config, redirectPort: port });
    expect(portOf(signIn.redirectUri)).toBe(port);
    const browser = new ScriptedBrowser();
    await browser.postForm((await openLogin(browser, signIn)).login, { username: 'admin', password: DEMO_PASSWORD });
    expect((await signIn.completion).user.roles).toEqual(['administrator']);
  });
});
