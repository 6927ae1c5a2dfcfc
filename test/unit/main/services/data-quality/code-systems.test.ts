import { describe, expect, it } from 'vitest';
import { isStandardCoding, isStandardSystem } from '../../../../../src/main/services/data-quality/code-systems.ts';

describe('standard code systems, by name and by OID', () => {
  it('knows the systems documents name by OID: HL7 registry and WS/T 500', () => {
    expect(isStandardSystem('2.16.156.10011.2.3.3.11')).toBe(true); // ICD-10 国家临床版
    expect(isStandardSystem('urn:oid:2.16.840.1.113883.6.1')).toBe(true); // LOINC
    expect(isStandardSystem('http://loinc.org')).toBe(true);
    expect(isStandardSystem('2.16.156.10011.2.3.1.1')).toBe(false); // a catalogue OID, not a code system a receiver reads
    expect(isStandardSystem('urn:oid:1.2.3.4.5.6')).toBe(false); // a hospital's own
  });

  it('a placeholder under an OID-named system is not a code: "1" under ICD-10, or a code not of ICD-10 shape', () => {
    expect(isStandardCoding('2.16.156.10011.2.3.3.11', 'K31.500')).toBe(true);
    expect(isStandardCoding('2.16.156.10011.2.3.3.11', '1')).toBe(false);
    expect(isStandardCoding('2.16.156.10011.2.3.3.11', '123')).toBe(false);
    expect(isStandardCoding('2.16.156.10011.2.3.3.14', 'BNS130')).toBe(true);
    expect(isStandardCoding('2.16.156.10011.2.3.3.14', '1')).toBe(false);
    // Named systems keep their codes as sent (their own format checks are not this one's).
    expect(isStandardCoding('http://loinc.org', '1')).toBe(true);
  });
});
