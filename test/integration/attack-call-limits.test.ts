/**
 * A script in a signed-in clinician's tab calls the live API in a loop. The hospital's systems
 * are shared by the whole hospital: the workstation must not amplify it. Counted at the demo
 * HIS, CDR, platform and LIS themselves: what they were asked, not what the workstation says.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEFAULT_CALL_LIMITS } from '../../src/shared/config/call-limits.ts';
import { startAttackHost, useAttackHost, type ApiAnswer, type Tab } from '../support/attack-host.ts';

const suite = useAttackHost({ hospital: { wardCensus: true, censusConfig: { his: true, fhir: 'encounter' } } });

/** Every request any hospital system has received so far. */
const askedOfHospital = (): number =>
  suite.hospital.fhir.requests.length +
  suite.hospital.his.received.length +
  suite.hospital.lis.received.length +
  suite.hospital.platform.requests.length;

async function signIn(tab: Tab, username: string): Promise<void> {
  const answer = await tab.call('signInLocal', { username, password: DEMO_PASSWORD });
  expect(answer.status, JSON.stringify(answer.body.error)).toBe(200);
}

/** The hospital requests one call causes, and its answer. */
async function cost(call: () => Promise<ApiAnswer>): Promise<{ asked: number; answer: ApiAnswer }> {
  const before = askedOfHospital();
  const answer = await call();
  return { asked: askedOfHospital() - before, answer };
}

async function sequentially(times: number, call: (i: number) => Promise<ApiAnswer>): Promise<ApiAnswer[]> {
  const answers: ApiAnswer[] = [];
  for (let i = 0; i < times; i += 1) answers.push(await call(i));
  return answers;
}

/**
 * The most calls a bucket can admit over a run that lasted `ms` (from full): the burst and what
 * refilled meanwhile. Computed from the run's own length, so a busy machine only loosens it.
 */
const mostAdmitted = (kind: keyof typeof DEFAULT_CALL_LIMITS, ms: number): number =>
  DEFAULT_CALL_LIMITS[kind].burst + Math.ceil((ms * DEFAULT_CALL_LIMITS[kind].perMinute) / 60_000) + 1;

const statuses = (answers: readonly ApiAnswer[]): Record<number, number> =>
  answers.reduce<Record<number, number>>((tally, a) => ({ ...tally, [a.status]: (tally[a.status] ?? 0) + 1 }), {});

/** Every name the loop searches is different, so no two are the same call: only the bucket bounds them. */
const queryOf = (i: number): string => `测试${String(i).padStart(3, '0')}`;

describe('per-user call limits against a script in a signed-in tab', () => {
  it('without them (limits set out of reach), 100 live worklist reads and 100 searches each reach the hospital every time', async () => {
    const unlimited = { burst: 10_000, perMinute: 10_000 };
    const host = await startAttackHost(suite.hospital, { callLimits: { worklist: unlimited, search: unlimited } });
    try {
      const tab = await host.tab();
      await signIn(tab, 'doctor');
      const worklist = await cost(() => sequentially(100, () => tab.call('listWorklist', { from: 'systems' })).then((a) => a[0]!));
      expect(worklist.asked).toBeGreaterThanOrEqual(100);
      const search = await cost(() => sequentially(100, (i) => tab.call('searchPatients', { query: queryOf(i) })).then((a) => a[0]!));
      expect(search.asked).toBeGreaterThanOrEqual(100);
      console.log(`unlimited: 100 worklist reads asked the hospital ${worklist.asked} times, 100 searches ${search.asked} times`);
      await tab.call('signOut');
    } finally {
      await host.close();
    }
  }, 300_000);

  it('100 identical live worklist reads at once are one fan-out; 100 in a row are bounded by the bucket and refused 429 with the wait', async () => {
    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    const started = Date.now();
    const one = await cost(() => tab.call('listWorklist', { from: 'systems' }));
    expect(one.answer.status).toBe(200);
    expect(one.asked).toBeGreaterThan(0);

    // At once: one fan-out (perhaps a few, if the first settles before the last arrive), never 100.
    const before = askedOfHospital();
    const atOnce = await Promise.all(Array.from({ length: 100 }, () => tab.call('listWorklist', { from: 'systems' })));
    const askedAtOnce = askedOfHospital() - before;
    expect(
      Object.keys(statuses(atOnce)).every((s) => s === '200' || s === '429'),
      JSON.stringify(statuses(atOnce)),
    ).toBe(true);
    expect(askedAtOnce).toBeLessThan(100);

    // In a row: what is left of the burst, then refusals that ask nothing.
    const inRow = await cost(() => sequentially(100, () => tab.call('listWorklist', { from: 'systems' })).then((a) => a.at(-1)!));
    expect(one.asked + askedAtOnce + inRow.asked).toBeLessThanOrEqual(one.asked * mostAdmitted('worklist', Date.now() - started));
    expect(inRow.answer.status).toBe(429);
    expect(inRow.answer.body.error?.code).toBe('rate-limited');
    const wait = (inRow.answer.body.error as { retryAfterSeconds?: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(Math.ceil(60 / DEFAULT_CALL_LIMITS.worklist.perMinute));
    const raw = await tab.raw('/api/listWorklist', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"from":"systems"}',
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
    console.log(`worklist: one read asks ${one.asked}; 100 at once asked ${askedAtOnce}; 100 in a row asked ${inRow.asked}`);

    // Never limited: the worklist from the cache alone.
    const cached = await cost(() => tab.call('listWorklist', { from: 'cache' }));
    expect(cached.answer.status).toBe(200);
    expect(cached.asked).toBe(0);
    await tab.call('signOut');
  }, 300_000);

  it('100 different searches in a row are bounded per user; a second tab and a new sign-in share the bucket; the burst is audited once', async () => {
    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    const started = Date.now();
    const answers = await sequentially(60, (i) => tab.call('searchPatients', { query: queryOf(i) }));
    const other = await suite.attack.tab();
    await tab.call('signOut');
    await signIn(other, 'doctor');
    const before = askedOfHospital();
    const more = await sequentially(40, (i) => other.call('searchPatients', { query: queryOf(60 + i) }));
    const askedAfterRelogin = askedOfHospital() - before;
    const all = [...answers, ...more];
    const admitted = all.filter((a) => a.status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(DEFAULT_CALL_LIMITS.search.burst);
    // One bucket for both tabs and both sign-ins: a fresh one would have admitted another burst.
    expect(admitted).toBeLessThanOrEqual(mostAdmitted('search', Date.now() - started));
    expect(all.filter((a) => a.status === 429).every((a) => a.body.error?.code === 'rate-limited')).toBe(true);
    console.log(
      `search: of 100 different searches ${admitted} were admitted; after signing in again, 40 asked the hospital ${askedAfterRelogin} times`,
    );

    // Identical searches at once: one fan-out for all of them, or refusals.
    const same = await Promise.all(Array.from({ length: 50 }, () => other.call('searchPatients', { query: queryOf(0) })));
    expect(same.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    await other.call('signOut');

    const admin = await suite.attack.tab();
    await signIn(admin, 'admin');
    const audited = await admin.call('adminAuditSearch', { actions: ['access-denied'], pageSize: 200 });
    expect(audited.status).toBe(200);
    const bursts = (audited.body['rows'] as { entityType?: string; userId?: string }[]).filter((r) => r.entityType === 'call-limit');
    // Two bursts (the worklist's, and the searches' that spans a second tab and a new sign-in): one record each, not one per refused call.
    expect(bursts).toHaveLength(2);
    expect(new Set(bursts.map((r) => r.userId)).size).toBe(1);
    await admin.call('signOut');
  }, 300_000);
});
