import { describe, expect, it } from 'vitest';
import { groupIdentifiers, sameTypeRuns } from '../../../../../src/renderer/features/patient-banner/identifier-groups.ts';

describe('groupIdentifiers', () => {
  it('shows typed and labelled identifiers, and those without a naming system; a bare OID-named one goes behind details', () => {
    const typed = { system: 'urn:oid:2.16.156.10011.1.12', typeCode: 'cn-inpatient-no' as const, value: 'Z1', sourceId: 'emr' };
    const labelled = { system: 'urn:his:x', label: '住院流水号', value: 'ZY1', sourceId: 'his' };
    const bare = { value: 'P1', sourceId: 'pacs' };
    const technical = { system: 'urn:oid:1.2.3.4.5', value: 'T1', sourceId: 'emr' };
    expect(groupIdentifiers([typed, labelled, bare, technical])).toEqual({ readable: [typed, labelled, bare], technical: [technical] });
  });
});

describe('sameTypeRuns', () => {
  it('puts identifiers of one type under one label, in the order each type first appears', () => {
    const mrnCdr = { typeCode: 'cn-medical-record-no' as const, value: 'CDR-1', sourceId: 'cdr' };
    const inpatient = { typeCode: 'cn-inpatient-no' as const, value: 'Z1', sourceId: 'cdr' };
    const mrnHis = { typeCode: 'cn-medical-record-no' as const, value: 'H1', sourceId: 'his' };
    expect(sameTypeRuns([mrnCdr, inpatient, mrnHis])).toEqual([[mrnCdr, mrnHis], [inpatient]]);
  });

  it("keeps a system's own label with that system alone, and a bare identifier with its naming system", () => {
    const hisLabel = { system: 'urn:his:x', label: '住院流水号', value: 'ZY1', sourceId: 'his' };
    const emrLabel = { system: 'urn:emr:x', label: '住院流水号', value: 'ZY2', sourceId: 'emr' };
    const bareA = { value: 'P1', sourceId: 'pacs' };
    const bareB = { value: 'P2', sourceId: 'pacs' };
    expect(sameTypeRuns([hisLabel, emrLabel, bareA, bareB])).toEqual([[hisLabel], [emrLabel], [bareA, bareB]]);
  });
});
