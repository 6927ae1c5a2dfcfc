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
    expect(policy.canReadResource(radiologist, imagingReport)).toBe(true);
    expect(policy.canReadResource(radiologist, dischargeSummary)).toBe(false);
  });

  it('a nurse reads neither (no imaging context), a ward doctor both; types read in full stay read', () => {
    expect(policy.canReadResource(userWith('nurse'), imagingReport)).toBe(false);
    expect(policy.canReadResource(userWith('ward-doctor'), dischargeSummary)).toBe(true);
    expect(policy.canReadResource(userWith('radiologist'), { resourceType: 'ImagingStudy' })).toBe(true);
    expect(policy.canReadResource(userWith('administrator'), imagingReport)).toBe(false);
  });

  it('a document naming a study only by a plain identifier is not taken for a report', () => {
    const noted = { resourceType: 'DocumentReference', identifier: [{ value: 'ACC-1' }] };
    expect(policy.canReadResource(userWith('radiologist'), noted)).toBe(false);
  });
});

describe('role policy: orders a radiologist reads', () => {
  const policy = createRolePolicy();

  it('no order by type: only those linked to a study of the record, which the gate decides over the record', () => {
    const radiologist = userWith('radiologist');
    expect(policy.canRead(radiologist, 'ServiceRequest')).toBe(false);
    expect(policy.readsImagingOrders(radiologist)).toBe(true);
    expect(policy.readsImagingOrders(userWith('nurse'))).toBe(false);
    expect(policy.canRead(userWith('ward-doctor'), 'ServiceRequest')).toBe(true);
    // A configured scope still reads them all, as the hospital chose.
    expect(createRolePolicy({ roleScopes: { radiologist: ['patient/ServiceRequest.rs'] } }).canRead(radiologist, 'ServiceRequest')).toBe(
      true,
    );
  });
});
