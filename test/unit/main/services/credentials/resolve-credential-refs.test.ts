import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../../src/main/services/config/load-config.ts';
import {
  CredentialError,
  credentialRefsOf,
  resolveCredentialRefs,
  withResolvedCredentials,
} from '../../../../../src/main/services/credentials/index.ts';
import { type SecretLookup } from '../../../../../src/main/services/credentials/credential-vault.ts';
import type { HuizhenConfig } from '../../../../../src/shared/config/schema.ts';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
const secrets: Record<string, string> = { 'cdr.password': 'pw-1', 'pacs.token': 'tok-2', 'cdr2.key': PEM, 'platform.password': 'pw-3' };
const vault: SecretLookup = { get: (name) => secrets[name] };

function config(): HuizhenConfig {
  return parseConfig({
    sources: [
      {
        id: 'cdr',
        name: 'CDR',
        kind: 'fhir',
        baseUrl: 'http://127.0.0.1:1/fhir',
        auth: { type: 'basic', username: 'hz', passwordRef: 'cdr.password' },
      },
      {
        id: 'cdr2',
        name: 'CDR 2',
        kind: 'fhir',
        baseUrl: 'http://127.0.0.1:2/fhir',
        auth: { type: 'smart-backend', clientId: 'c', keyId: 'k', privateKeyRef: 'cdr2.key' },
      },
      { id: 'cdr3', name: 'CDR 3', kind: 'fhir', baseUrl: 'http://127.0.0.1:3/fhir', auth: { type: 'bearer', token: 'inline-token' } },
      {
        id: 'pacs',
        name: 'PACS',
        kind: 'dicomweb',
        baseUrl: 'http://127.0.0.1:4/dicom-web',
        auth: { type: 'bearer', tokenRef: 'pacs.token' },
      },
      {
        id: 'platform',
        name: '互联互通平台',
        kind: 'hl7v3',
        endpoint: 'http://127.0.0.1:5/services',
        senderDeviceId: '1.2.3',
        receiverDeviceId: '1.2.4',
        patientIdRoot: '1.2.5',
        auth: { type: 'basic', username: 'hz', passwordRef: 'platform.password' },
      },
      { id: 'lis', name: 'LIS', kind: 'hl7v2', host: '127.0.0.1', port: 2575, receivingApplication: 'LIS', services: ['results'] },
    ],
  });
}

function authOf(c: HuizhenConfig, id: string): unknown {
  const source = c.sources.find((s) => s.id === id);
  return source && 'auth' in source ? source.auth : undefined;
}

describe('resolveCredentialRefs', () => {
  it('lists every reference with the source and field that uses it', () => {
    expect(credentialRefsOf(config())).toEqual([
      { sourceId: 'cdr', field: 'auth.passwordRef', name: 'cdr.password' },
      { sourceId: 'cdr2', field: 'auth.privateKeyRef', name: 'cdr2.key' },
      { sourceId: 'pacs', field: 'auth.tokenRef', name: 'pacs.token' },
      { sourceId: 'platform', field: 'auth.passwordRef', name: 'platform.password' },
    ]);
  });

  it('replaces each reference by its secret in a new configuration, leaving the input unchanged', () => {
    const input = config();
    const before = structuredClone(input);
    const resolved = resolveCredentialRefs(input, vault);
    expect(input).toEqual(before);
    expect(authOf(resolved, 'cdr')).toEqual({ type: 'basic', username: 'hz', password: 'pw-1' });
    expect(authOf(resolved, 'cdr2')).toMatchObject({ type: 'smart-backend', privateKey: PEM });
    expect(authOf(resolved, 'cdr2')).not.toHaveProperty('privateKeyRef');
    expect(authOf(resolved, 'cdr3')).toEqual({ type: 'bearer', token: 'inline-token' });
    expect(authOf(resolved, 'pacs')).toEqual({ type: 'bearer', token: 'tok-2' });
    expect(authOf(resolved, 'platform')).toEqual({ type: 'basic', username: 'hz', password: 'pw-3' });
    expect(resolved.sources.find((s) => s.id === 'lis')).toBe(input.sources.find((s) => s.id === 'lis'));
    expect(credentialRefsOf(resolved)).toEqual([]);
  });

  it('names every missing reference with its source, and how to store it', () => {
    const partial: SecretLookup = { get: (name) => (name === 'cdr2.key' ? PEM : undefined) };
    let error: unknown;
    try {
      resolveCredentialRefs(config(), partial);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CredentialError);
    const { code, message } = error as CredentialError;
    expect(code).toBe('missing-ref');
    expect(message).toContain('source "cdr" auth.passwordRef "cdr.password"');
    expect(message).toContain('source "pacs" auth.tokenRef "pacs.token"');
    expect(message).toContain('source "platform" auth.passwordRef "platform.password"');
    expect(message).toContain('huizhen credentials set NAME');
    expect(message).not.toContain(PEM);

    const one: SecretLookup = { get: (name) => (name === 'cdr.password' ? undefined : secrets[name]) };
    expect(() => resolveCredentialRefs(config(), one)).toThrow(
      /source "cdr" auth\.passwordRef "cdr\.password".*huizhen credentials set cdr\.password/,
    );
  });

  it('lets a disabled source keep a reference the vault lacks', () => {
    const c = config();
    const disabled = { ...c, sources: c.sources.map((s) => (s.id === 'cdr' ? { ...s, enabled: false } : s)) };
    const resolved = resolveCredentialRefs(disabled, { get: (name) => (name === 'cdr.password' ? undefined : secrets[name]) });
    expect(authOf(resolved, 'cdr')).toMatchObject({ passwordRef: 'cdr.password' });
  });

  it('needs no vault for a configuration without references, and says so when one is needed but there is no cache', async () => {
    const plain = parseConfig({
      sources: [
        { id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: 'http://127.0.0.1:1/fhir', auth: { type: 'basic', username: 'u', password: 'p' } },
      ],
    });
    expect(await withResolvedCredentials(plain, undefined)).toBe(plain);
    await expect(withResolvedCredentials(config(), undefined)).rejects.toThrow(/needs the encrypted cache/);
  });
});
