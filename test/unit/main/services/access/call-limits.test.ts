import { describe, expect, it } from 'vitest';
import { limitCalls } from '../../../../../src/main/services/access/index.ts';
import type { AccessAuditEvent } from '../../../../../src/main/services/access/audit-port.ts';
import { TokenBucket } from '../../../../../src/main/services/access/call-token-bucket.ts';
import { InFlight, requestKey } from '../../../../../src/main/services/access/calls-in-flight.ts';
import { CallLimitedError, dispatchApiCall, type ApiHandlers } from '../../../../../src/main/services/api/index.ts';
import { CallLimitsConfigSchema, DEFAULT_CALL_LIMITS } from '../../../../../src/shared/config/call-limits.ts';
import { AccessConfigSchema } from '../../../../../src/shared/config/access.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';

const doctor: User = { id: 'local:doctor', displayName: '测试医生', roles: ['ward-doctor'], wards: ['CARD-1'], authMethod: 'local' };
const nurse: User = { id: 'local:nurse', displayName: '测试护士', roles: ['nurse'], wards: ['CARD-1'], authMethod: 'local' };

/** A promise the test settles by hand, to hold a call "in flight". */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('token bucket', () => {
  it('admits a burst, then one per refill interval, with the wait until the next', () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 3, perMinute: 6 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()].every((t) => t.ok)).toBe(true);
    const refused = bucket.take();
    expect(refused).toEqual({ ok: false, retryAfterMs: 10_000 });
    now += 5_000;
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 5_000 });
    now += 5_000;
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(false);
  });

  it('refills up to the burst only, and a clock stepping back neither mints nor drains tokens', () => {
    let now = 1_000_000;
    const bucket = new TokenBucket({ burst: 2, perMinute: 60 }, () => now);
    bucket.take();
    bucket.take();
    now -= 600_000;
    expect(bucket.take().ok).toBe(false);
    now += 600_000 + 3_600_000;
    expect([bucket.take(), bucket.take(), bucket.take()].map((t) => t.ok)).toEqual([true, true, false]);
  });
});

describe('identical calls in flight', () => {
  it('share one run while it is under way, and run again once it settled', async () => {
    const inFlight = new InFlight();
    let runs = 0;
    const gate = deferred<string>();
    const call = () => {
      runs += 1;
      return gate.promise;
    };
    const joined = Array.from({ length: 10 }, () => inFlight.run('k', call));
    gate.resolve('answer');
    expect(await Promise.all(joined)).toEqual(Array(10).fill('answer'));
    expect(runs).toBe(1);
    expect(inFlight.size).toBe(0);
    await inFlight.run('k', () => Promise.resolve('again'));
    expect(runs).toBe(1);
  });

  it('share a failure too, and forget it (a retry runs afresh)', async () => {
    const inFlight = new InFlight();
    const a = inFlight.run('k', () => Promise.reject(new Error('source down')));
    const b = inFlight.run('k', () => Promise.resolve('not run'));
    await expect(a).rejects.toThrow('source down');
    await expect(b).rejects.toThrow('source down');
    expect(await inFlight.run('k', () => Promise.resolve('fresh'))).toBe('fresh');
  });

  it('keys the same request the same however its keys are ordered, and different requests differently', () => {
    expect(requestKey({ query: '张伟', limit: 20 })).toBe(requestKey({ limit: 20, query: '张伟' }));
    expect(requestKey({ refs: [{ sourceId: 'a', sourcePatientId: '1' }] })).toBe(
      requestKey({ refs: [{ sourcePatientId: '1', sourceId: 'a' }] }),
    );
    expect(requestKey({ query: '张伟' })).not.toBe(requestKey({ query: '张伟', limit: 40 }));
    expect(requestKey({ refs: ['a', 'b'] })).not.toBe(requestKey({ refs: ['b', 'a'] }));
  });
});

/** Handlers that count what would fan out; each call waits for the test to release it when `held`. */
function fakeHandlers(held?: Promise<void>) {
  const fanOuts: string[] = [];
  const answer = <T>(method: string, value: T) => {
    fanOuts.push(method);
    return (held ?? Promise.resolve()).then(() => value);
  };
  const handlers = {
    searchPatients: ({ query }: { query: string }) => answer('searchPatients', { candidates: [], sources: [], query }),
    openPatient: () => answer('openPatient', { viewId: 'v' }),
    listWorklist: ({ from }: { from: 'cache' | 'systems' }) => answer(`listWorklist:${from}`, { rows: [], from }),
    checkSources: () => answer('checkSources', { probes: [] }),
    exportDeidentified: ({ kind }: { kind: string }) => answer(`export:${kind}`, { files: 0 }),
    listSources: () => answer('listSources', { sources: [] }),
  } as unknown as ApiHandlers;
  return { handlers, fanOuts };
}

function limited(options: { held?: Promise<void>; user?: () => User | undefined; limits?: object } = {}) {
  let now = 0;
  const audit: AccessAuditEvent[] = [];
  const { handlers, fanOuts } = fakeHandlers(options.held);
  const api = limitCalls(handlers, {
    limits: CallLimitsConfigSchema.parse(options.limits ?? {}),
    caller: options.user ?? (() => doctor),
    audit: (event) => {
      audit.push(event);
      return Promise.resolve();
    },
    clock: () => now,
  });
  return { api, fanOuts, audit, advance: (ms: number) => (now += ms) };
}

describe('per-user call limits', () => {
  it('coalesces identical concurrent calls of one user into one fan-out, taking one token', async () => {
    const release = deferred<void>();
    const { api, fanOuts } = limited({ held: release.promise, limits: { worklist: { burst: 1, perMinute: 1 } } });
    const calls = Array.from({ length: 100 }, () => api.listWorklist({ from: 'systems' }));
    release.resolve();
    const answers = await Promise.all(calls);
    expect(fanOuts).toEqual(['listWorklist:systems']);
    expect(new Set(answers).size).toBe(1);
    // The one token is spent: the next live read, no longer concurrent, is refused.
    await expect(api.listWorklist({ from: 'systems' })).rejects.toBeInstanceOf(CallLimitedError);
  });

  it('never coalesces different requests, nor two users asking the same', async () => {
    let who = doctor;
    const release = deferred<void>();
    const { api, fanOuts } = limited({ held: release.promise, user: () => who });
    const a = api.searchPatients({ query: '张伟' });
    const b = api.searchPatients({ query: '张伟', limit: 40 });
    who = nurse;
    const c = api.searchPatients({ query: '张伟' });
    release.resolve();
    await Promise.all([a, b, c]);
    expect(fanOuts).toHaveLength(3);
  });

  it('never joins a call made for the same user id with other wards (a new sign-in whose claims changed)', async () => {
    let who = doctor;
    const release = deferred<void>();
    const { api, fanOuts } = limited({ held: release.promise, user: () => who });
    const before = api.listWorklist({ from: 'systems' });
    who = { ...doctor, wards: ['ICU-2'] };
    const after = api.listWorklist({ from: 'systems' });
    release.resolve();
    await Promise.all([before, after]);
    expect(fanOuts).toHaveLength(2);
  });

  it('refuses over the burst with a typed error and the wait, before the handler runs', async () => {
    const { api, fanOuts, advance } = limited();
    const { burst, perMinute } = DEFAULT_CALL_LIMITS.search;
    for (let i = 0; i < burst; i++) await api.searchPatients({ query: `q${i}` });
    const refused = await api.searchPatients({ query: 'one more' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CallLimitedError);
    expect((refused as CallLimitedError).retryAfterSeconds).toBe(Math.ceil(60 / perMinute));
    expect(fanOuts).toHaveLength(burst);
    advance(Math.ceil(60_000 / perMinute));
    await api.searchPatients({ query: 'one more' });
    expect(fanOuts).toHaveLength(burst + 1);
  });

  it('answers 429 rate-limited with retryAfterSeconds through the dispatcher', async () => {
    const { api } = limited({ limits: { 'source-check': { burst: 1, perMinute: 1 } } });
    expect((await dispatchApiCall(api, 'checkSources', {})).ok).toBe(true);
    expect(await dispatchApiCall(api, 'checkSources', {})).toEqual({
      ok: false,
      status: 429,
      error: { code: 'rate-limited', message: expect.stringContaining('checkSources') as string, retryAfterSeconds: 60 },
    });
  });

  it('keeps one bucket per user and kind: the nurse and the open are untouched by the doctor’s searches', async () => {
    let who = doctor;
    const { api } = limited({ user: () => who, limits: { search: { burst: 1, perMinute: 1 } } });
    await api.searchPatients({ query: 'a' });
    await expect(api.searchPatients({ query: 'b' })).rejects.toBeInstanceOf(CallLimitedError);
    await api.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: 'p1' }] });
    who = nurse;
    await api.searchPatients({ query: 'b' });
  });

  it('never limits what is served from the cache or memory alone, nor a call with no active user (its handler refuses it)', async () => {
    let who: User | undefined = doctor;
    const { api, fanOuts } = limited({
      user: () => who,
      limits: { worklist: { burst: 1, perMinute: 1 }, 'study-export': { burst: 1, perMinute: 1 } },
    });
    for (let i = 0; i < 50; i++) await api.listWorklist({ from: 'cache' });
    for (let i = 0; i < 50; i++) await api.exportDeidentified({ viewId: 'v', kind: 'timeline' });
    for (let i = 0; i < 50; i++) await api.listSources({});
    await api.listWorklist({ from: 'systems' });
    await expect(api.listWorklist({ from: 'systems' })).rejects.toBeInstanceOf(CallLimitedError);
    who = undefined;
    await api.listWorklist({ from: 'systems' });
    expect(fanOuts.filter((f) => f === 'listWorklist:systems')).toHaveLength(2);
  });

  it('audits a burst of refusals once, and a new burst once the calls slowed down', async () => {
    const { api, audit, advance } = limited({ limits: { worklist: { burst: 2, perMinute: 6 } } });
    const refused = async () => api.listWorklist({ from: 'systems' }).catch((e: unknown) => e);
    for (let i = 0; i < 100; i++) await refused();
    // A script pacing itself at the refill rate is still the same burst.
    for (let i = 0; i < 20; i++) {
      advance(10_000);
      await refused();
      await refused();
    }
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'access-denied',
      outcome: 'denied',
      user: { id: doctor.id },
      entity: { type: 'call-limit', id: 'worklist' },
    });
    advance(60_000);
    for (let i = 0; i < 10; i++) await refused();
    expect(audit).toHaveLength(2);
  });

  it('audits a burst that goes on again every ten minutes, with how many were refused', async () => {
    const { api, audit, advance } = limited({ limits: { search: { burst: 1, perMinute: 1 } } });
    for (let minute = 0; minute <= 10; minute++) {
      for (let i = 0; i < 5; i++) await api.searchPatients({ query: `${minute}-${i}` }).catch(() => {});
      advance(60_000);
    }
    expect(audit).toHaveLength(2);
    expect(audit[1]?.entity?.detail).toMatch(/refused since/);
  });
});

describe('call limits configuration', () => {
  it('defaults every kind, keeps the others when one is given, and refuses nonsense', () => {
    expect(AccessConfigSchema.parse({}).callLimits).toEqual(DEFAULT_CALL_LIMITS);
    const one = AccessConfigSchema.parse({ callLimits: { search: { burst: 5, perMinute: 5 } } }).callLimits;
    expect(one).toEqual({ ...DEFAULT_CALL_LIMITS, search: { burst: 5, perMinute: 5 } });
    for (const bad of [
      { search: { burst: 0, perMinute: 1 } },
      { search: { burst: 1, perMinute: 0 } },
      { census: { burst: 1, perMinute: 1 } },
    ])
      expect(AccessConfigSchema.safeParse({ callLimits: bad }).success).toBe(false);
  });
});
