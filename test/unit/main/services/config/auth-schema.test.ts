import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../../../src/main/services/config/load-config.ts';

const fhir = (auth: unknown) => ({ sources: [{ id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: 'http://127.0.0.1:1/fhir', auth }] });
const dicomweb = (auth: unknown) => ({
  sources: [{ id: 'pacs', name: 'PACS', kind: 'dicomweb', baseUrl: 'http://127.0.0.1:1/dicom-web', auth }],
});
const hl7v3 = (auth: unknown) => ({
  sources: [
    {
      id: 'p',
      name: 'P',
      kind: 'hl7v3',
      endpoint: 'http://127.0.0.1:1/s',
      senderDeviceId: '1.2',
      receiverDeviceId: '1.3',
      patientIdRoot: '1.4',
      auth,
    },
  ],
});
const smart = { type: 'smart-backend', clientId: 'c', keyId: 'k' };
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('auth schemas: a secret inline or as a credential-vault reference, exactly one', () => {
  it.each([
    ['fhir basic passwordRef', fhir({ type: 'basic', username: 'u', passwordRef: 'cdr.password' })],
    ['fhir basic password', fhir({ type: 'basic', username: 'u', password: '' })],
    ['fhir bearer tokenRef', fhir({ type: 'bearer', tokenRef: 'cdr-token' })],
    ['fhir smart privateKeyRef', fhir({ ...smart, privateKeyRef: 'cdr_key.v2' })],
    ['fhir smart privateKeyFile', fhir({ ...smart, privateKeyFile: '/etc/huizhen/key.pem' })],
    ['dicomweb basic passwordRef', dicomweb({ type: 'basic', username: 'u', passwordRef: 'pacs.password' })],
    ['dicomweb bearer tokenRef', dicomweb({ type: 'bearer', tokenRef: 'pacs.token' })],
    ['hl7v3 basic passwordRef', hl7v3({ type: 'basic', username: 'u', passwordRef: 'platform' })],
  ])('accepts %s', (_what, raw) => {
    expect(() => parseConfig(raw)).not.toThrow();
  });

  it.each([
    [
      'fhir basic with both',
      fhir({ type: 'basic', username: 'u', password: 'p', passwordRef: 'cdr.password' }),
      'sources[0].auth.password: give exactly one of password and passwordRef',
    ],
    [
      'fhir basic with neither',
      fhir({ type: 'basic', username: 'u' }),
      'sources[0].auth.password: give exactly one of password and passwordRef',
    ],
    [
      'fhir bearer with both',
      fhir({ type: 'bearer', token: 't', tokenRef: 'cdr.token' }),
      'sources[0].auth.token: give exactly one of token and tokenRef',
    ],
    ['fhir bearer with neither', fhir({ type: 'bearer' }), 'sources[0].auth.token: give exactly one of token and tokenRef'],
    [
      'smart key inline and ref',
      fhir({ ...smart, privateKey: PEM, privateKeyRef: 'k' }),
      'sources[0].auth.privateKey: give exactly one of privateKey',
    ],
    [
      'smart key file and ref',
      fhir({ ...smart, privateKeyFile: '/k.pem', privateKeyRef: 'k' }),
      'sources[0].auth.privateKey: give exactly one of privateKey',
    ],
    ['smart without a key', fhir(smart), 'sources[0].auth.privateKey: give exactly one of privateKey'],
    [
      'dicomweb basic with both',
      dicomweb({ type: 'basic', username: 'u', password: 'p', passwordRef: 'x' }),
      'sources[0].auth.password: give exactly one',
    ],
    [
      'hl7v3 basic with both',
      hl7v3({ type: 'basic', username: 'u', password: 'p', passwordRef: 'x' }),
      'sources[0].auth.password: give exactly one',
    ],
    [
      'a reference that is no credential name',
      fhir({ type: 'basic', username: 'u', passwordRef: 'CDR Password' }),
      'sources[0].auth.passwordRef: a credential name',
    ],
    ['a reference that is too long', fhir({ type: 'bearer', tokenRef: 'x'.repeat(65) }), 'sources[0].auth.tokenRef: a credential name'],
  ])('refuses %s, naming the field', (_what, raw, expected) => {
    expect(problems(raw).join('\n')).toContain(expected);
  });

  it('does not echo an inline secret in its complaint', () => {
    expect(problems(fhir({ type: 'basic', username: 'u', password: 'hunter2-secret', passwordRef: 'x' })).join('\n')).not.toContain(
      'hunter2-secret',
    );
  });
});
