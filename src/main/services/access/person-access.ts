import type { AccessBasis } from '../../../shared/api/session.ts';
import type { Resource } from '../../../shared/domain/fhir.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { User } from '../../../shared/domain/user.ts';
import type { BreakGlassGrant, BreakGlassGrants } from './break-glass.ts';
import { careRelationship } from './care-relationship.ts';

/** On what grounds this user may read which of one person's system records: decided before any is fetched. */
export interface PersonAccessDecision {
  basis: AccessBasis;
  /** With basis break-the-glass: the grant the banner shows. */
  grant?: BreakGlassGrant;
  /** The records that may be fetched. */
  covered: SourcePatientRef[];
  /** The person's records no rule or grant covers: neither fetched nor cached. */
  uncovered: SourcePatientRef[];
}

export interface PersonAccessInput {
  user: User;
  /** One person's system records, as the identity service vouched for them. */
  refs: readonly SourcePatientRef[];
  /** That person's care context (encounters, imaging studies), read before the decision. */
  careContext: Iterable<Resource>;
  grants: BreakGlassGrants;
  now: number;
  careWindowDays: number;
}

/**
 * The care rule is a fact about the person (on my ward, attended by me, has imaging): when it
 * holds, every record of that person is covered. Otherwise each record needs a valid
 * break-the-glass grant of its own. Undefined: nothing is covered, nothing may be fetched.
 */
export function decidePersonAccess(input: PersonAccessInput): PersonAccessDecision | undefined {
  const basis = careRelationship(input.user, input.careContext, { now: input.now, careWindowDays: input.careWindowDays });
  if (basis) return { basis, covered: [...input.refs], uncovered: [] };
  const { grant, covered, uncovered } = input.grants.coverage(input.user.id, input.refs);
  if (!grant || covered.length === 0) return undefined;
  return { basis: 'break-glass', grant, covered, uncovered };
}
