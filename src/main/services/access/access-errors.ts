/** The user may not see this patient (or do this): no rule grants it. Hosts answer 403. */
export class AccessDeniedError extends Error {
  /** Break-the-glass would open it (a clinical role, a patient outside the rules). */
  readonly breakGlassPossible: boolean;
  constructor(message: string, breakGlassPossible = false) {
    super(message);
    this.name = 'AccessDeniedError';
    this.breakGlassPossible = breakGlassPossible;
  }
}
