import { describe, expect, it } from 'vitest';
import { shortSourceName } from '../../../../src/renderer/lib/short-source-name.ts';

describe('a system’s short name for a crowded row', () => {
  it('drops the protocol in brackets, ASCII or full-width', () => {
    expect(shortSourceName('CDR (FHIR R4)')).toBe('CDR');
    expect(shortSourceName('集成平台 EMR (HL7 v3)')).toBe('集成平台 EMR');
    expect(shortSourceName('检验系统（HL7 v2）')).toBe('检验系统');
  });

  it('keeps a name that is only brackets, or has none, as it is', () => {
    expect(shortSourceName('(LIS)')).toBe('(LIS)');
    expect(shortSourceName('HIS')).toBe('HIS');
  });
});
