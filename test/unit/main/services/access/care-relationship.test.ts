import { describe, expect, it } from 'vitest';
import type { Encounter, Resource } from '../../../../../src/shared/domain/fhir.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';
import { careRelationship } from '../../../../../src/main/services/access/care-relationship.ts';
import { createRolePolicy } from '../../../../../src/main/services/access/role-policy.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const user = (roles: User['roles'], extra: Partial<User> = {}): User => ({
  id: 'local:u',
  displayName: 'U',
  roles,
  wards: [],
  authMethod: 'local',
  ...extra,
});
const stay = (over: Partial<Encounter>): Encounter => ({ resourceType: 'Encounter', status: 'finished', class: { code: 'IMP' }, ...over });
const onWard = (code: string, end: string) =>
  stay({ location: [{ location: { identifier: { value: code } } }], period: { start: '2026-11-01', end } });
const rule = (u: User, resources: Resource[], careWindowDays = 30) => careRelationship(u, resources, { now: NOW, careWindowDays });

describe('care relationship (attribute rules)', () => {
  it('grants a ward doctor and a nurse their ward while the stay is recent, not after the care window', () => {
    const doctor = user(['ward-doctor'], { wards: ['CARD-1'] });
    expect(rule(doctor, [onWard('CARD-1', '2026-11-20')])).toBe('ward');
    expect(rule(user(['nurse'], { wards: ['CARD-1'] }), [onWard('CARD-1', '2026-11-20')])).toBe('ward');
    expect(rule(doctor, [onWard('CARD-1', '2026-09-01')])).toBeUndefined();
    expect(rule(doctor, [onWard('RESP-2', '2026-11-20')])).toBeUndefined();
    // A stay in progress always counts, whatever its start.
    expect(
      rule(doctor, [
        stay({ status: 'in-progress', location: [{ location: { identifier: { value: 'CARD-1' } } }], period: { start: '2020-01-01' } }),
      ]),
    ).toBe('ward');
  });

  it('reads the ward from an HL7 v2 PV1-3 display ("CARD-1 01 03") too', () => {
    expect(
      rule(user(['nurse'], { wards: ['CARD-1'] }), [
        stay({ status: 'in-progress', location: [{ location: { display: 'CARD-1 01 03' } }] }),
      ]),
    ).toBe('ward');
  });

  it('grants the attending doctor their patient (identifier or reference), not a nurse with the same id', () => {
    const attended = stay({ status: 'in-progress', participant: [{ individual: { identifier: { value: 'D1001' } } }] });
    expect(rule(user(['ward-doctor'], { practitionerId: 'D1001' }), [attended])).toBe('treating');
    expect(
      rule(user(['ward-doctor'], { practitionerId: 'D1001' }), [
        stay({ status: 'in-progress', participant: [{ individual: { reference: 'Practitioner/D1001' } }] }),
      ]),
    ).toBe('treating');
    expect(rule(user(['nurse'], { practitionerId: 'D1001' }), [attended])).toBeUndefined();
  });

  it('grants a radiologist patients with imaging, and nobody anything from imaging alone otherwise', () => {
    const study: Resource = { resourceType: 'ImagingStudy', status: 'available', subject: { reference: 'Patient/p' } } as Resource;
    expect(rule(user(['radiologist']), [study])).toBe('imaging');
    expect(rule(user(['ward-doctor'], { wards: ['CARD-1'] }), [study])).toBeUndefined();
    expect(rule(user(['administrator']), [study, onWard('CARD-1', '2026-11-20')])).toBeUndefined();
  });
});

describe('role policy (SMART-style scopes)', () => {
  const policy = createRolePolicy();
  it('reads types per role; administrators read no patient data', () => {
    expect(policy.canRead(user(['ward-doctor']), 'DocumentReference')).toBe(true);
    expect(policy.canRead(user(['nurse']), 'DocumentReference')).toBe(false);
    expect(policy.canRead(user(['nurse']), 'Observation')).toBe(true);
    expect(policy.canRead(user(['radiologist']), 'ImagingStudy')).toBe(true);
    expect(policy.canRead(user(['radiologist']), 'MedicationRequest')).toBe(false);
    expect(policy.canRead(user(['administrator']), 'Patient')).toBe(false);
    expect(policy.can(user(['administrator']), 'search')).toBe(false);
    expect(policy.can(user(['nurse']), 'link')).toBe(false);
  });

  it('takes the union of several roles, and masks identifiers only when every role does', () => {
    const both = user(['nurse', 'ward-doctor']);
    expect(policy.canRead(both, 'DocumentReference')).toBe(true);
    expect(policy.masksIdentifiers(both)).toBe(false);
    expect(policy.masksIdentifiers(user(['nurse']))).toBe(true);
  });

  it('lets the hospital narrow a role by configuration', () => {
    const narrowed = createRolePolicy({ roleScopes: { 'ward-doctor': ['patient/Observation.rs'] } });
    expect(narrowed.canRead(user(['ward-doctor']), 'Observation')).toBe(true);
    expect(narrowed.canRead(user(['ward-doctor']), 'DocumentReference')).toBe(false);
    expect(narrowed.scopesOf(user(['ward-doctor']))).toEqual(['patient/Observation.rs']);
  });
});
