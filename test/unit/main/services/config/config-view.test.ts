import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../../src/main/services/config/load-config.ts';
import { configurationSummary } from '../../../../../src/main/services/config/index.ts';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEsecretmaterial\n-----END PRIVATE KEY-----';

const config = parseConfig({
  cache: {},
  prefetch: { patients: ['110101199003074512', 'MRN-0042'] },
  sources: [
    {
      id: 'cdr',
      name: 'CDR',
      kind: 'fhir',
      baseUrl: 'http://127.0.0.1:1/fhir',
      auth: { type: 'basic', username: 'u', passwordRef: 'cdr.password' },
    },
    {
      id: 'pacs',
      name: 'PACS',
      kind: 'dicomweb',
      enabled: false,
      baseUrl: 'http://127.0.0.1:1/dicom-web',
      auth: { type: 'bearer', token: 'inline-token-value-9f3a' },
    },
    {
      id: 'cdr2',
      name: 'CDR 2',
      kind: 'fhir',
      baseUrl: 'http://127.0.0.1:2/fhir',
      auth: { type: 'smart-backend', clientId: 'c', keyId: 'k', privateKey: PEM },
    },
  ],
});

describe('the configuration as the console shows it', () => {
  it('names every secret by its reference and never carries a secret value', () => {
    const { entries } = configurationSummary(config);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get('sources[0].auth.passwordRef')).toEqual({
      path: 'sources[0].auth.passwordRef',
      secret: { kind: 'vault', ref: 'cdr.password' },
    });
    expect(byPath.get('sources[1].auth.token')).toEqual({ path: 'sources[1].auth.token', secret: { kind: 'inline' } });
    expect(byPath.get('sources[2].auth.privateKey')).toEqual({ path: 'sources[2].auth.privateKey', secret: { kind: 'inline' } });
    expect(byPath.get('cache.passphraseEnv')).toMatchObject({ secret: { kind: 'env', ref: 'HUIZHEN_CACHE_PASSPHRASE' } });
    expect(byPath.get('sources[0].baseUrl')).toMatchObject({ value: 'http://127.0.0.1:1/fhir' });
    const text = JSON.stringify(entries);
    expect(text).not.toContain('inline-token-value-9f3a');
    expect(text).not.toContain('secretmaterial');
  });

  it('shows how many patients prefetch lists, never which (the console shows no patient data)', () => {
    const { entries } = configurationSummary(config);
    expect(entries.filter((e) => e.path.startsWith('prefetch.patients'))).toEqual([{ path: 'prefetch.patients.length', value: 2 }]);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('110101199003074512');
    expect(text).not.toContain('MRN-0042');
  });

  it('is valid as loaded, with warnings for inline secrets and switched-off sources', () => {
    const { validation } = configurationSummary(config);
    expect(validation.valid).toBe(true);
    expect(validation.problems).toEqual([]);
    expect(validation.warnings).toEqual(
      expect.arrayContaining([
        { code: 'inline-secret', path: 'sources[1].auth.token' },
        { code: 'inline-secret', path: 'sources[2].auth.privateKey' },
        { code: 'source-disabled', path: 'sources[1].enabled' },
      ]),
    );
    expect(validation.warnings.some((w) => w.path.endsWith('passwordHash'))).toBe(false);
  });
});
