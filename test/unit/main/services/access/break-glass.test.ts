import { describe, expect, it } from 'vitest';
import { BreakGlassGrants } from '../../../../../src/main/services/access/break-glass.ts';
import { decidePersonAccess } from '../../../../../src/main/services/access/person-access.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';

const doctor: User = {
  id: 'local:doctor',
  displayName: '李医生',
  roles: ['ward-doctor'],
  wards: ['CARD-1'],
  practitionerId: 'D1001',
  authMethod: 'local',
};
const cdr = { sourceId: 'cdr', sourcePatientId: 'pat-0002' };
const lis = { sourceId: 'lis', sourcePatientId: 'L2' };
const stranger = { sourceId: 'cdr', sourcePatientId: 'pat-0003' };
const REASON = '急诊会诊，患者意识不清需查既往史';

describe('break-the-glass grants: each record judged on its own', () => {
  it('covers exactly the records asked for, for that user, until the deadline', () => {
    let now = 1_000_000;
    const grants = new BreakGlassGrants(() => now);
    grants.grant(doctor.id, [cdr], REASON, 30);
    expect(grants.coverage(doctor.id, [cdr, lis, stranger])).toMatchObject({ covered: [cdr], uncovered: [lis, stranger] });
    expect(grants.coverage('local:nurse', [cdr]).covered).toEqual([]);
    now += 31 * 60_000;
    expect(grants.coverage(doctor.id, [cdr])).toEqual({ covered: [], uncovered: [cdr] });
  });

  it('the care rule covers the whole person; a grant only its records; nothing else opens', () => {
    const grants = new BreakGlassGrants(() => 0);
    const base = { user: doctor, grants, now: 0, careWindowDays: 30 };
    const onWard = {
      resourceType: 'Encounter' as const,
      status: 'in-progress' as const,
      class: { code: 'IMP' },
      location: [{ location: { display: 'CARD-1 01 03' } }],
    };
    expect(decidePersonAccess({ ...base, refs: [cdr, lis], careContext: [onWard] })).toMatchObject({
      basis: 'ward',
      covered: [cdr, lis],
      uncovered: [],
    });
    expect(decidePersonAccess({ ...base, refs: [cdr, lis], careContext: [] })).toBeUndefined();
    grants.grant(doctor.id, [cdr], REASON, 30);
    expect(decidePersonAccess({ ...base, refs: [cdr, lis], careContext: [] })).toMatchObject({
      basis: 'break-glass',
      covered: [cdr],
      uncovered: [lis],
      grant: { reason: REASON },
    });
  });
});
