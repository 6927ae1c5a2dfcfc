import { z } from 'zod';
import type { ApiEvent } from './events.ts';
import type { ApiMethod, ApiRequest, ApiResponse } from './contract.ts';

export type Unsubscribe = () => void;

/**
 * What the renderer programs against. Two implementations exist: the Electron preload (IPC)
 * and the browser host client (HTTP + WebSocket). Feature code never knows which it has.
 */
export type HuizhenApi = {
  [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponse<M>>;
} & {
  onEvent(listener: (event: ApiEvent) => void): Unsubscribe;
};

/**
 * Why an access was refused: the role may not do it; the patient is outside the care rules
 * (break-the-glass may open it); the records asked for are not one person as the identity
 * service knows them (never opened together, whatever the grounds); the records were never shown
 * to this user (no search result, worklist row or open of theirs named them: 'not-shown'); or the
 * administrator has searched the audit trail for too many different patient references lately ('search-rate').
 */
export const AccessDenialSchema = z.enum(['role', 'outside-care', 'not-one-person', 'not-shown', 'search-rate']);
export type AccessDenial = z.infer<typeof AccessDenialSchema>;

/**
 * Why a sign-in or unlock was refused, for the renderer to word: wrong credentials (never which
 * of the two), too many failures (with the wait), an unreadable stored hash, a method this
 * workstation does not offer, or nothing to unlock.
 */
export const SignInRefusalSchema = z.object({
  reason: z.enum([
    'bad-credentials',
    'locked-out',
    'invalid-hash',
    'local-disabled',
    'oidc-not-configured',
    'not-locked',
    'unlock-with-idp',
    'other',
  ]),
  retryAfterMinutes: z.number().int().positive().optional(),
});
export type SignInRefusal = z.infer<typeof SignInRefusalSchema>;

/** The error both transports report when main refuses or fails a call. */
export const ApiErrorSchema = z.object({
  code: z.enum(['invalid-request', 'unknown-method', 'forbidden', 'internal', 'signed-out', 'locked', 'access-denied', 'rate-limited']),
  message: z.string(),
  /** With 'access-denied': why. */
  denial: AccessDenialSchema.optional(),
  /** With a refused sign-in or unlock ('signed-out'): why. */
  refusal: SignInRefusalSchema.optional(),
  /** With 'rate-limited': the user's calls of this kind are over their limit; one may be made again after this wait. */
  retryAfterSeconds: z.number().int().positive().optional(),
});

export interface ApiErrorBody {
  error: z.infer<typeof ApiErrorSchema>;
}
