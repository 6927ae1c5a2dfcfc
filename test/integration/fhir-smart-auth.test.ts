import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPKCS8, SignJWT } from 'jose';
import { createSmartBackendAuth } from '../../src/adapters/fhir/auth/smart-backend-auth.ts';
import { createFhirHttp } from '../../src/adapters/fhir/fhir-http.ts';
import { staticAuth } from '../../src/adapters/fhir/auth/auth-provider.ts';
import { createFhirAdapter } from '../../src/adapters/fhir/fhir-adapter.ts';
import { SourceError } from '../../src/adapters/source-error.ts';
import { startFhirServer, type DemoFhirServer } from '../../src/demo-hospital/fhir-server/fhir-server.ts';
import { ASSERTION_TYPE, TOKEN_PATH } from '../../src/demo-hospital/fhir-server/smart-authorization-server.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { FhirSourceConfigSchema, type SmartBackendAuth } from '../../src/shared/config/schema.ts';
import { fhirSourceConfig } from '../support/fhir-source-config.ts';
import { smartTestKey, type SmartTestKey } from '../support/fhir-smart-keys.ts';

const data = generateSyntheticHospital({ seed: 5 });
const demoCount = data.patients.find((p) => p.id === DEMO_PATIENT.fhirId)?.resourceCount ?? 0;
let rsa: SmartTestKey;
let ec: SmartTestKey;
let stranger: SmartTestKey;
let server: DemoFhirServer;
let keyDir: string;
const signal = (): AbortSignal => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected a SourceError');
}

function smartAuth(key: SmartTestKey, overrides: Partial<Record<string, unknown>> = {}): SmartBackendAuth {
  const auth = {
    type: 'smart-backend',
    clientId: key === ec ? 'ec-client' : 'rsa-client',
    keyId: key.kid,
    algorithm: key.algorithm,
    privateKey: key.privatePem,
    ...overrides,
  };
  return FhirSourceConfigSchema.parse({ id: 'cdr', name: 'CDR (FHIR R4)', kind: 'fhir', baseUrl: server.baseUrl, auth })
    .auth as SmartBackendAuth;
}

const tokenUrl = (): string => `${new URL(server.baseUrl).origin}${TOKEN_PATH}`;

async function postAssertion(
  assertion: string,
  scope = 'system/*.rs',
): Promise<{ status: number; body: { error?: string; access_token?: string } }> {
  const res = await fetch(tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    }),
  });
  return { status: res.status, body: (await res.json()) as { error?: string } };
}

async function assertion(claims: { aud?: string; expIn?: number; jti?: string; iss?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS384', kid: rsa.kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? 'rsa-client')
    .setSubject(claims.iss ?? 'rsa-client')
    .setAudience(claims.aud ?? tokenUrl())
    .setExpirationTime(now + (claims.expIn ?? 240))
    .setJti(claims.jti ?? crypto.randomUUID())
    .sign(await importPKCS8(rsa.privatePem, 'RS384'));
}

beforeAll(async () => {
  [rsa, ec, stranger] = await Promise.all([smartTestKey('RS384', 'rsa-1'), smartTestKey('ES384', 'ec-1'), smartTestKey('RS384', 'rsa-1')]);
  server = await startFhirServer({
    resources: data.resources,
    auth: {
      type: 'smart',
      clients: [
        { clientId: 'rsa-client', jwks: rsa.jwks },
        { clientId: 'ec-client', jwks: ec.jwks, allowedScopes: ['system/*.read'] },
      ],
    },
  });
  keyDir = await mkdtemp(join(tmpdir(), 'huizhen-smart-'));
});
afterAll(async () => {
  await server.stop();
  await rm(keyDir, { recursive: true, force: true });
});

describe('SMART Backend Services against the demo CDR', () => {
  it('publishes its token endpoint and refuses FHIR requests without a token', async () => {
    const config = (await (await fetch(`${server.baseUrl}/.well-known/smart-configuration`)).json()) as { token_endpoint: string };
    expect(config.token_endpoint).toBe(tokenUrl());
    const bare = await fetch(`${server.baseUrl}/Patient?name=zhang`);
    expect(bare.status).toBe(401);
    expect((await fetch(`${server.baseUrl}/Patient?name=zhang`, { headers: { authorization: 'Bearer made-up' } })).status).toBe(401);
  });

  it('discovers the endpoint, gets one RS384 token and reuses it for a whole record', async () => {
    const issuedBefore = server.smart?.issuedCount ?? 0;
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl, { auth: smartAuth(rsa) }), { pageSize: 50 });
    const record = await adapter.fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() });
    expect(record).toHaveLength(demoCount);
    const fhirRequests = server.requests.filter((r) => r.url.startsWith('/fhir/') && !r.url.includes('.well-known'));
    expect(fhirRequests.at(-1)?.authorization).toMatch(/^Bearer [A-Za-z0-9_-]{40,}$/);
    expect(server.smart?.issuedCount).toBe(issuedBefore + 1);
    await adapter.searchPatients({ text: '张伟' }, { signal: signal() });
    expect(server.smart?.issuedCount).toBe(issuedBefore + 1);
  });

  it('signs ES384 with a JWK read from privateKeyFile, at a configured tokenUrl, with the configured scope', async () => {
    const file = join(keyDir, 'ec.jwk.json');
    await writeFile(file, JSON.stringify(ec.privateJwk), { mode: 0o600 });
    const before = server.requests.length;
    const auth = smartAuth(ec, { privateKey: undefined, privateKeyFile: file, tokenUrl: tokenUrl(), scope: 'system/*.read' });
    const found = await createFhirAdapter(fhirSourceConfig(server.baseUrl, { auth })).searchPatients(
      { text: '张伟' },
      { signal: signal() },
    );
    expect(found.map((f) => f.resource.id)).toContain(DEMO_PATIENT.fhirId);
    expect(server.requests.slice(before).some((r) => r.url.includes('.well-known'))).toBe(false);

    const refused = await failure(
      createFhirAdapter(fhirSourceConfig(server.baseUrl, { auth: { ...auth, scope: 'system/*.rs' } })).searchPatients(
        { text: '张伟' },
        { signal: signal() },
      ),
    );
    expect(refused.code).toBe('unauthorized');
    expect(refused.message).toMatch(/invalid_scope/);
  });

  it('renews the token once when the server revokes it (401), and fails on a second 401', async () => {
    const adapter = createFhirAdapter(fhirSourceConfig(server.baseUrl, { auth: smartAuth(rsa) }));
    await adapter.searchPatients({ text: '张伟' }, { signal: signal() });
    const issued = server.smart?.issuedCount ?? 0;
    server.smart?.revokeAll();
    const found = await adapter.searchPatients({ text: '张伟' }, { signal: signal() });
    expect(found.length).toBeGreaterThan(0);
    expect(server.smart?.issuedCount).toBe(issued + 1);

    // A server that refuses everything: one renewal attempt, then the 401 is reported, no loop.
    server.smart?.revokeAll();
    server.faults.set({ errorRate: 1, errorStatus: 401 });
    try {
      const before = server.requests.length;
      const error = await failure(adapter.searchPatients({ text: '张伟' }, { signal: signal() }));
      expect(error.code).toBe('unauthorized');
      expect(server.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
        'GET /fhir/Patient',
        'POST /auth/token',
      ]);
    } finally {
      server.faults.reset();
    }
  });

  it('renews before expiry, and shares one token request between concurrent callers', async () => {
    const shortLived = await startFhirServer({
      resources: [],
      auth: { type: 'smart', clients: [{ clientId: 'rsa-client', jwks: rsa.jwks }], tokenLifetimeSeconds: 20 },
    });
    try {
      // A test clock instead of waiting: tokens live 20 s, so renewal is due at 16 s (80 %).
      let clock = Date.now();
      const discovery = createFhirHttp({
        sourceId: 'cdr',
        sourceName: 'CDR',
        baseUrl: shortLived.baseUrl,
        auth: staticAuth({ type: 'none' }),
        timeoutMs: 5000,
      });
      const provider = createSmartBackendAuth({ auth: smartAuth(rsa), discovery, timeoutMs: 5000, now: () => clock });
      const headers = await Promise.all(Array.from({ length: 5 }, () => provider.header(signal())));
      expect(new Set(headers).size).toBe(1);
      expect(shortLived.smart?.issuedCount).toBe(1);
      clock += 15_000;
      expect(await provider.header(signal())).toBe(headers[0]);
      clock += 2_000;
      expect(await provider.header(signal())).not.toBe(headers[0]);
      expect(shortLived.smart?.issuedCount).toBe(2);
    } finally {
      await shortLived.stop();
    }
  });

  it('verifies assertions: signature, audience, lifetime, replay, client', async () => {
    const good = await assertion();
    expect((await postAssertion(good)).status).toBe(200);
    expect(await postAssertion(good)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await postAssertion(await assertion({ aud: 'http://elsewhere.example/token' }))).status).toBe(401);
    expect((await postAssertion(await assertion({ expIn: 3600 }))).status).toBe(401);
    expect((await postAssertion(await assertion({ expIn: -120 }))).status).toBe(401);
    expect((await postAssertion(await assertion({ iss: 'nobody' }))).status).toBe(401);
    expect((await postAssertion('not-a-jwt')).body.error).toBe('invalid_request');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS384', kid: 'rsa-1' })
      .setIssuer('rsa-client')
      .setSubject('rsa-client')
      .setAudience(tokenUrl())
      .setExpirationTime('4m')
      .setJti(crypto.randomUUID())
      .sign(await importPKCS8(stranger.privatePem, 'RS384'));
    expect((await postAssertion(forged)).status).toBe(401);
  });

  it('reports a key the server does not know as unauthorized without leaking key, assertion or token', async () => {
    const auth = smartAuth(stranger, { clientId: 'rsa-client' });
    const error = await failure(
      createFhirAdapter(fhirSourceConfig(server.baseUrl, { auth })).fetchRecord(DEMO_PATIENT.fhirId, { signal: signal() }),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/token request refused \(invalid_client/);
    const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)} ${String(error.cause)}`;
    const pemBody = stranger.privatePem.split('\n')[1] ?? '';
    expect(everything).not.toContain(pemBody);
    expect(everything).not.toContain(String(stranger.privateJwk.d));
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it.each([
    ['a PEM that is not a key', { privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, /is not a private RSA key/],
    ['a missing key file', { privateKey: undefined, privateKeyFile: '/nonexistent/huizhen.pem' }, /file could not be read \(ENOENT\)/],
    ['an ES384 algorithm for an RSA key', { algorithm: 'ES384' }, /is not a private P-384 EC key/],
  ])('maps %s to a typed error', async (_name, overrides, message) => {
    const error = await failure(
      createFhirAdapter(fhirSourceConfig(server.baseUrl, { auth: smartAuth(rsa, overrides) })).searchPatients(
        { text: '张伟' },
        { signal: signal() },
      ),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(message);
  });

  it('maps a server without SMART discovery, and a token endpoint that is down, to typed errors', async () => {
    const plain = await startFhirServer({ resources: [] });
    try {
      const noDiscovery = await failure(
        createFhirAdapter(fhirSourceConfig(plain.baseUrl, { auth: { ...smartAuth(rsa) } })).searchPatients(
          { text: '张伟' },
          { signal: signal() },
        ),
      );
      expect(noDiscovery.code).toBe('protocol');
      expect(noDiscovery.message).toMatch(/no \.well-known\/smart-configuration; set auth\.tokenUrl/);
    } finally {
      await plain.stop();
    }
    server.faults.set({ errorRate: 1, errorStatus: 503 });
    try {
      const down = await failure(
        createFhirAdapter(fhirSourceConfig(server.baseUrl, { auth: smartAuth(rsa, { tokenUrl: tokenUrl() }) })).searchPatients(
          { text: '张伟' },
          { signal: signal() },
        ),
      );
      expect(down.code).toBe('server-error');
      expect(down.request).toBe('POST /auth/token');
    } finally {
      server.faults.reset();
    }
  });
});

describe('SMART config schema', () => {
  it.each([
    [{ clientId: 'c', keyId: 'k' }, /exactly one of privateKey/],
    [{ clientId: 'c', keyId: 'k', privateKey: 'x', privateKeyFile: '/k' }, /exactly one of privateKey/],
    [{ clientId: 'c', keyId: 'k', privateKey: 'secret' }, /PEM private key/],
    [{ clientId: 'c', keyId: 'k', privateKeyFile: '/k', algorithm: 'HS256' }, /algorithm/],
    [{ clientId: 'c', keyId: 'k', privateKeyFile: '/k', tokenUrl: 'ftp://x/token' }, /tokenUrl/],
  ])('rejects %j', (auth, message) => {
    const result = FhirSourceConfigSchema.safeParse({
      id: 'cdr',
      name: 'CDR',
      kind: 'fhir',
      baseUrl: 'http://127.0.0.1:1/fhir',
      auth: { type: 'smart-backend', ...auth },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toMatch(message);
  });
});
