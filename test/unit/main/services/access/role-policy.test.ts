import { describe, expect, it } from 'vitest';
import { createRolePolicy } from '../../../../../src/main/services/access/role-policy.ts';
import type { Role, User } from '../../../../../src/shared/domain/user.ts';

const userWith = (...roles: Role[]): User => ({ id: `u-${roles.join('-')}`, displayName: 'Test', roles, wards: [], authMethod: 'local' });

/** A CDA 检查报告 as the CDA converter files it: the study named by accession number and UID. */
const imagingReport = {
  resourceType: 'DocumentReference',
  context: {
    related: [
      { identifier: { type: { coding: [{ code: 'ACSN' }] }, value: 'ACC-1' } },
      { identifier: { system: 'urn:dicom:uid', value: 'urn:oid:1.2.3.4' } },
    ],
  },
};
const dischargeSummary = { resourceType: 'DocumentReference', type: { text: '出院小结' } };

describe('role policy: documents a radiologist reads', () => {
  const policy = createRolePolicy();

  it('reads an imaging study’s report among documents, never another document', () => {
    const radiologist = userWith('radiologist');
    expect(policy.canRead(radiologist, 'DocumentReference')).toBe(false);
    expect(policy.readsWhenTiedToStudy(radiologist, imagingReport)).toBe('report');
    expect(policy.readsWhenTiedToStudy(radiologist, dischargeSummary)).toBeUndefined();
  });

  it('a nurse reads neither (no imaging context), a ward doctor both; types read in full stay read', () => {
    expect(policy.canRead(userWith('nurse'), 'DocumentReference')).toBe(false);
    expect(policy.readsWhenTiedToStudy(userWith('nurse'), imagingReport)).toBeUndefined();
    expect(policy.canRead(userWith('ward-doctor'), 'DocumentReference')).toBe(true);
    expect(policy.canRead(userWith('radiologist'), 'ImagingStudy')).toBe(true);
    expect(policy.canRead(userWith('administrator'), 'DocumentReference')).toBe(false);
    expect(policy.readsWhenTiedToStudy(userWith('administrator'), imagingReport)).toBeUndefined();
    // A nurse who is also a radiologist reads what the radiologist reads.
    expect(policy.readsWhenTiedToStudy(userWith('nurse', 'radiologist'), imagingReport)).toBe('report');
  });

  it('a document naming a study only by a plain identifier is not taken for a report', () => {
    const noted = { resourceType: 'DocumentReference', identifier: [{ value: 'ACC-1' }] };
    expect(policy.readsWhenTiedToStudy(userWith('radiologist'), noted)).toBeUndefined();
  });
});

describe('role policy: orders a radiologist reads', () => {
  const policy = createRolePolicy();

  it('no order by type: only those linked to a study of the record, which the gate decides over the record', () => {
    const radiologist = userWith('radiologist');
    expect(policy.canRead(radiologist, 'ServiceRequest')).toBe(false);
    expect(policy.readsWhenTiedToStudy(radiologist, { resourceType: 'ServiceRequest' })).toBe('order');
    expect(policy.readsWhenTiedToStudy(userWith('nurse'), { resourceType: 'ServiceRequest' })).toBeUndefined();
    // Neither exception reaches other withheld types (notes, prescriptions).
    expect(policy.readsWhenTiedToStudy(radiologist, { resourceType: 'MedicationRequest' })).toBeUndefined();
    expect(policy.canRead(userWith('ward-doctor'), 'ServiceRequest')).toBe(true);
    // A configured scope still reads them all, as the hospital chose.
    expect(createRolePolicy({ roleScopes: { radiologist: ['patient/ServiceRequest.rs'] } }).canRead(radiologist, 'ServiceRequest')).toBe(
      true,
    );
  });
});
