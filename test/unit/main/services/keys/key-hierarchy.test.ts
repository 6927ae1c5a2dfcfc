import { describe, expect, it } from 'vitest';
import { blindRef, deriveIndexKeys, newKey, newKeyId, unwrapKey, wrapKey } from '../../../../../src/main/services/keys/key-hierarchy.ts';

describe('key wrapping', () => {
  const master = newKey();
  const dataKey = newKey();
  const purpose = { kind: 'patient' as const, patientRef: 'ref-a', keyId: 'k1' };

  it('unwraps what it wrapped, bound to the master key id and the purpose', () => {
    const wrapped = wrapKey(master, 'm1', purpose, dataKey);
    expect(unwrapKey(master, 'm1', purpose, wrapped)).toEqual(dataKey);
    expect(() => unwrapKey(master, 'm2', purpose, wrapped)).toThrow(expect.objectContaining({ code: 'tampered' }));
    expect(() => unwrapKey(master, 'm1', { ...purpose, patientRef: 'ref-b' }, wrapped)).toThrow(
      expect.objectContaining({ code: 'tampered' }),
    );
    expect(() => unwrapKey(master, 'm1', { kind: 'index' }, wrapped)).toThrow(expect.objectContaining({ code: 'tampered' }));
    expect(() => unwrapKey(newKey(), 'm1', purpose, wrapped)).toThrow(expect.objectContaining({ code: 'tampered' }));
  });

  it('makes distinct random keys and ids', () => {
    expect(newKey().equals(newKey())).toBe(false);
    expect(newKeyId()).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('blind index', () => {
  const keys = deriveIndexKeys(newKey());

  it('is deterministic per key, differs across keys, domains and values, and hides the value', () => {
    const ref = blindRef(keys.blind, 'identifier', '110105199001011234');
    expect(ref).toMatch(/^[0-9a-f]{64}$/);
    expect(blindRef(keys.blind, 'identifier', '110105199001011234')).toBe(ref);
    expect(blindRef(keys.blobName, 'identifier', '110105199001011234')).not.toBe(ref);
    expect(blindRef(keys.blind, 'patient', '110105199001011234')).not.toBe(ref);
    expect(blindRef(keys.blind, 'identifier', '110105199001011235')).not.toBe(ref);
    expect(ref).not.toContain('1101051990');
  });

  it('derives separate subkeys from one index key, the same ones every time', () => {
    const root = newKey();
    const a = deriveIndexKeys(root);
    expect(a.blind.equals(a.blobName)).toBe(false);
    expect(deriveIndexKeys(root).blind.equals(a.blind)).toBe(true);
  });
});
