import { describe, expect, it } from 'vitest';
import { coalesceRefreshes } from '../../../../src/main/composition/coalesced-refresh.ts';

describe('coalesced refreshes of open patients', () => {
  it('a burst for one patient runs one refresh and one more after it, not one each; other patients are not held back', async () => {
    const runs: string[] = [];
    const gates: (() => void)[] = [];
    const refresh = (ref: { sourceId: string; sourcePatientId: string }) =>
      new Promise<void>((resolve) => {
        runs.push(ref.sourcePatientId);
        gates.push(resolve);
      });
    const request = coalesceRefreshes(refresh, () => {});
    for (let i = 0; i < 50; i++) request({ sourceId: 'lis', sourcePatientId: 'A' });
    request({ sourceId: 'lis', sourcePatientId: 'B' });
    expect(runs).toEqual(['A', 'B']);
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    // The 49 requests made while A's refresh ran fold into one run, which reads the latest commit.
    expect(runs).toEqual(['A', 'B', 'A']);
    gates.splice(0).forEach((open) => open());
    await new Promise((r) => setImmediate(r));
    expect(runs).toEqual(['A', 'B', 'A']);
    request({ sourceId: 'lis', sourcePatientId: 'A' });
    expect(runs).toEqual(['A', 'B', 'A', 'A']);
  });

  it('a failed refresh is reported and the next request runs again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const request = coalesceRefreshes(
      () => {
        calls++;
        return Promise.reject(new Error('cache closed'));
      },
      (e) => errors.push(e),
    );
    request({ sourceId: 'lis', sourcePatientId: 'A' });
    await new Promise((r) => setImmediate(r));
    request({ sourceId: 'lis', sourcePatientId: 'A' });
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
