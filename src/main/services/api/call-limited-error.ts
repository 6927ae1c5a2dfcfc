/**
 * The user made more calls of one kind (each reaching the hospital's systems) than their limit
 * allows: refused before anything is asked. Hosts answer 429 with the wait.
 */
export class CallLimitedError extends Error {
  /** Whole seconds until one call of this kind will be accepted again. */
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = 'CallLimitedError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}
