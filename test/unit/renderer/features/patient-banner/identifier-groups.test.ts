import { describe, expect, it } from 'vitest';
import { groupIdentifiers } from '../../../../../src/renderer/features/patient-banner/identifier-groups.ts';

describe('groupIdentifiers', () => {
  it('shows typed and labelled identifiers, and those without a naming system; a bare OID-named one goes behind details', () => {
    const typed = { system: 'urn:oid:2.16.156.10011.1.12', typeCode: 'cn-inpatient-no' as const, value: 'Z1', sourceId: 'emr' };
    const labelled = { system: 'urn:his:x', label: '住院流水号', value: 'ZY1', sourceId: 'his' };
    const bare = { value: 'P1', sourceId: 'pacs' };
    const technical = { system: 'urn:oid:1.2.3.4.5', value: 'T1', sourceId: 'emr' };
    expect(groupIdentifiers([typed, labelled, bare, technical])).toEqual({ readable: [typed, labelled, bare], technical: [technical] });
  });
});
