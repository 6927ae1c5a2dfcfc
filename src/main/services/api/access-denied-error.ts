import type { AccessDenial } from '../../../shared/api/client.ts';

export type { AccessDenial };

/** The user may not see this patient (or do this): no rule grants it. Hosts answer 403. */
export class AccessDeniedError extends Error {
  /** Break-the-glass would open it (a clinical role, a patient outside the rules). */
  readonly breakGlassPossible: boolean;
  /** Why, as a code the renderer words: outside the care rules, records not one person, or the role. */
  readonly denial: AccessDenial;
  constructor(message: string, breakGlassPossible = false, denial: AccessDenial = 'role') {
    super(message);
    this.name = 'AccessDeniedError';
    this.breakGlassPossible = breakGlassPossible;
    this.denial = denial;
  }
}
