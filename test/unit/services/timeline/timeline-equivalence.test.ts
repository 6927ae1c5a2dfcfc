import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../../src/main/services/timeline/build-timeline.ts';
import { variedRecords } from './varied-records.ts';

// The snapshots were built by buildTimeline before its speed work (issue 5): a faster
// implementation must give the same entries, in the same order, with the same keys.
const snapshot = (seed: number): string => readFileSync(new URL(`./fixtures/varied-timeline-seed${seed}.json`, import.meta.url), 'utf8');

describe('buildTimeline gives the same output as before its speed work', () => {
  for (const seed of [5, 6]) {
    it(`~400 records from three systems (seed ${seed})`, () => {
      const entries = buildTimeline(variedRecords(seed));
      expect(`${JSON.stringify(entries, null, 1)}\n`).toBe(snapshot(seed));
    });
  }

  it('gives the same output when built twice from the same records (no state kept between builds)', () => {
    const records = variedRecords(5);
    expect(JSON.stringify(buildTimeline(records))).toBe(JSON.stringify(buildTimeline(records)));
  });
});
