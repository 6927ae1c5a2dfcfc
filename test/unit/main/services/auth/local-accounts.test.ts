import { beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../../../../src/main/services/auth/auth-error.ts';
import { createLocalSignIn, verifyLocalSignIn } from '../../../../../src/main/services/auth/local-accounts.ts';
import { hashPassword } from '../../../../../src/main/services/auth/password-hash.ts';
import type { LocalAccount } from '../../../../../src/shared/config/auth.ts';
import { DEMO_PASSWORD, demoLocalAccounts } from '../../../../../src/demo-hospital/identity-provider/demo-users.ts';
import { rejectionOf } from '../../../../support/rejection.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
let accounts: LocalAccount[];

beforeAll(async () => {
  accounts = [
    {
      username: 'Doctor',
      displayName: '李医生',
      passwordHash: await hashPassword('pw-doctor', FAST),
      roles: ['ward-doctor'],
      wards: ['CARD-1'],
      practitionerId: 'D1001',
    },
    { username: 'nurse', displayName: '赵护士', passwordHash: await hashPassword('pw-nurse', FAST), roles: ['nurse'], wards: ['CARD-1'] },
  ];
});

const failure = (promise: Promise<unknown>) => rejectionOf(promise, AuthError);

describe('verifyLocalSignIn', () => {
  it('returns the User for the right password, matching the username case-insensitively', async () => {
    expect(await verifyLocalSignIn(accounts, ' doctor ', 'pw-doctor')).toEqual({
      id: 'local:doctor',
      displayName: '李医生',
      roles: ['ward-doctor'],
      wards: ['CARD-1'],
      practitionerId: 'D1001',
      authMethod: 'local',
    });
    expect((await verifyLocalSignIn(accounts, 'ＮＵＲＳＥ', 'pw-nurse')).id).toBe('local:nurse');
  });

  it('fails identically for an unknown user and a wrong password', async () => {
    const unknown = await failure(verifyLocalSignIn(accounts, 'ghost', 'pw-doctor'));
    const wrong = await failure(verifyLocalSignIn(accounts, 'doctor', 'pw-nurse'));
    expect(unknown.code).toBe('bad-credentials');
    expect(wrong.code).toBe('bad-credentials');
    expect(unknown.message).toBe(wrong.message);
  });

  it('spends a scrypt verification on unknown users too (no account list: default cost decoy)', async () => {
    // Not a timing assertion: this checks the unknown-user path runs scrypt at the accounts' cost
    // by making that cost impossible for scrypt, which then fails the attempt as invalid-hash.
    const costly: LocalAccount[] = [{ ...accounts[0]!, passwordHash: 'scrypt$1024$999$999$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43) }];
    expect((await failure(verifyLocalSignIn(costly, 'ghost', 'x'))).code).toBe('invalid-hash');
  });

  it('never lets an empty password through', async () => {
    expect((await failure(verifyLocalSignIn(accounts, 'doctor', ''))).code).toBe('bad-credentials');
  });
});

describe('createLocalSignIn lockout', () => {
  it('locks a username after 5 failures for 5 minutes, even with the right password, then lets it try again', async () => {
    let now = 1_000_000;
    const signIn = createLocalSignIn(accounts, { now: () => now });
    for (let i = 0; i < 5; i++) expect((await failure(signIn.signIn('doctor', 'wrong'))).code).toBe('bad-credentials');
    const locked = await failure(signIn.signIn('doctor', 'pw-doctor'));
    expect(locked.code).toBe('locked-out');
    expect(locked.retryAfterMs).toBe(5 * 60_000);
    // Other usernames are unaffected.
    expect((await signIn.signIn('nurse', 'pw-nurse')).id).toBe('local:nurse');
    now += 5 * 60_000 - 1;
    expect((await failure(signIn.signIn('DOCTOR', 'pw-doctor'))).code).toBe('locked-out');
    now += 1;
    expect((await signIn.signIn('doctor', 'pw-doctor')).id).toBe('local:doctor');
  });

  it('resets the count on success', async () => {
    const signIn = createLocalSignIn(accounts, { maxFailures: 3 });
    await failure(signIn.signIn('nurse', 'wrong'));
    await failure(signIn.signIn('nurse', 'wrong'));
    await signIn.signIn('nurse', 'pw-nurse');
    await failure(signIn.signIn('nurse', 'wrong'));
    await failure(signIn.signIn('nurse', 'wrong'));
    expect((await signIn.signIn('nurse', 'pw-nurse')).id).toBe('local:nurse');
  });

  it('locks unknown usernames the same way, so a lockout does not reveal which exist', async () => {
    const signIn = createLocalSignIn(accounts, { maxFailures: 2 });
    await failure(signIn.signIn('ghost', 'x'));
    await failure(signIn.signIn('ghost', 'x'));
    expect((await failure(signIn.signIn('ghost', 'x'))).code).toBe('locked-out');
  });

  it('forgets the oldest usernames beyond its bound', async () => {
    const signIn = createLocalSignIn(accounts, { maxFailures: 1, maxTracked: 2 });
    await failure(signIn.signIn('doctor', 'wrong'));
    await failure(signIn.signIn('a', 'x'));
    await failure(signIn.signIn('b', 'x'));
    expect((await signIn.signIn('doctor', 'pw-doctor')).id).toBe('local:doctor');
  });
});

describe('demo local accounts', () => {
  it('are the four demo staff with Huizhen roles, with the documented demo password', async () => {
    const demo = demoLocalAccounts();
    expect(demo.map((a) => [a.username, a.displayName, a.roles])).toEqual([
      ['doctor', '李医生', ['ward-doctor']],
      ['radiologist', '王影像', ['radiologist']],
      ['nurse', '赵护士', ['nurse']],
      ['admin', '陈管理', ['administrator']],
    ]);
    // One full-cost verification (~1 s): the hashes were all made the same way; each has its own salt.
    expect((await verifyLocalSignIn(demo, 'doctor', DEMO_PASSWORD)).displayName).toBe('李医生');
    expect(new Set(demo.map((a) => a.passwordHash.split('$')[4])).size).toBe(demo.length);
  }, 30_000);
});
