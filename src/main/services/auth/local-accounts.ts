/**
 * Sign-in with a local account (the demo hospital, wards without an identity provider).
 * Unknown username and wrong password fail identically, in message and in time.
 */
import { normalizeUsername, type LocalAccount } from '../../../shared/config/auth.ts';
import { UserSchema, type User } from '../../../shared/domain/user.ts';
import { AuthError } from './auth-error.ts';
import { createLoginLockout, type LockoutOptions } from './login-lockout.ts';
import { DEFAULT_SCRYPT_COST, parsePasswordHash, unmatchableHash, verifyPassword } from './password-hash.ts';

const BAD_CREDENTIALS = 'wrong username or password';

export function localAccountUser(account: LocalAccount): User {
  return UserSchema.parse({
    id: `local:${normalizeUsername(account.username)}`,
    displayName: account.displayName,
    roles: account.roles,
    wards: account.wards,
    ...(account.practitionerId !== undefined ? { practitionerId: account.practitionerId } : {}),
    authMethod: 'local',
  });
}

/**
 * The decoy for unknown usernames costs what the configured accounts cost (their first hash),
 * so a low-cost test or legacy hash does not make unknown names answer faster than known ones.
 */
const decoys = new Map<string, string>();
function decoyHashFor(accounts: readonly LocalAccount[]): string {
  const first = accounts[0];
  const cost = first ? parsePasswordHash(first.passwordHash).cost : DEFAULT_SCRYPT_COST;
  const key = `${cost.N}/${cost.r}/${cost.p}`;
  let decoy = decoys.get(key);
  if (!decoy) {
    decoy = unmatchableHash(cost);
    decoys.set(key, decoy);
  }
  return decoy;
}

/** Stateless check of one attempt; throws AuthError('bad-credentials') on any mismatch. */
export async function verifyLocalSignIn(accounts: readonly LocalAccount[], username: string, password: string): Promise<User> {
  const wanted = normalizeUsername(username);
  const account = accounts.find((a) => normalizeUsername(a.username) === wanted);
  const matches = await verifyPassword(password, account?.passwordHash ?? decoyHashFor(accounts));
  if (!account || !matches) throw new AuthError('bad-credentials', BAD_CREDENTIALS);
  return localAccountUser(account);
}

export interface LocalSignIn {
  /** Throws AuthError 'bad-credentials', 'locked-out' (with retryAfterMs) or 'invalid-hash'. */
  signIn(username: string, password: string): Promise<User>;
}

/** Local sign-in with a per-username lockout (default: 5 failures in a row → 5 minutes). */
export function createLocalSignIn(accounts: readonly LocalAccount[], options: LockoutOptions = {}): LocalSignIn {
  const lockout = createLoginLockout(options);
  return {
    async signIn(username, password) {
      const key = normalizeUsername(username);
      const waitMs = lockout.lockedFor(key);
      if (waitMs > 0) {
        throw new AuthError('locked-out', `too many failed sign-ins for this username; try again in ${Math.ceil(waitMs / 60_000)} min`, {
          retryAfterMs: waitMs,
        });
      }
      try {
        const user = await verifyLocalSignIn(accounts, username, password);
        lockout.recordSuccess(key);
        return user;
      } catch (error) {
        if (error instanceof AuthError && error.code === 'bad-credentials') lockout.recordFailure(key);
        throw error;
      }
    },
  };
}
