import { expect } from 'vitest';
import { AuthError } from '../../../src/main/services/auth/auth-error.ts';

/** Runs what must fail and returns its AuthError (the test fails if it throws anything else). */
export function authErrorOf(run: () => unknown): AuthError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error('expected an AuthError');
}
