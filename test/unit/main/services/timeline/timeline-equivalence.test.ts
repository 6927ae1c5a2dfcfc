import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import { variedRecords } from './varied-records.ts';

// The snapshots were built by buildTimeline before its speed work (issue 5): a faster
// implementation must give the same entries, in the same order, with the same keys.
// Since reconciliation (issue 16) problems, allergies and drug orders/statements merge by what
// they name rather than by code and day, so those entries are compared as a regrouping (every
// record still there, once); every other entry must be exactly as before.
const snapshot = (seed: number): TimelineEntry[] =>
  JSON.parse(readFileSync(new URL(`./fixtures/varied-timeline-seed${seed}.json`, import.meta.url), 'utf8')) as TimelineEntry[];

const RECONCILED = new Set(['Condition', 'AllergyIntolerance', 'MedicationRequest', 'MedicationStatement']);
const reconciled = (e: TimelineEntry) => RECONCILED.has(e.resource.resourceType);
const records = (entries: TimelineEntry[]) => entries.flatMap((e) => e.provenance.map((p) => `${p.sourceId}:${p.nativeId}`)).sort();

describe('buildTimeline gives the same output as before its speed work', () => {
  for (const seed of [5, 6]) {
    it(`~400 records from three systems: every entry but problems, allergies and drugs exactly as stored (seed ${seed})`, () => {
      const entries = buildTimeline(variedRecords(seed));
      const before = snapshot(seed);
      expect(
        JSON.stringify(
          entries.filter((e) => !reconciled(e)),
          null,
          1,
        ),
      ).toBe(
        JSON.stringify(
          before.filter((e) => !reconciled(e)),
          null,
          1,
        ),
      );
    });

    it(`problems, allergies and drugs are regrouped, none lost or repeated (seed ${seed})`, () => {
      const entries = buildTimeline(variedRecords(seed)).filter(reconciled);
      const before = snapshot(seed).filter(reconciled);
      expect(records(entries)).toEqual(records(before));
      expect(entries.length).toBeLessThan(before.length);
    });
  }

  it('gives the same output when built twice from the same records (no state kept between builds)', () => {
    const records = variedRecords(5);
    expect(JSON.stringify(buildTimeline(records))).toBe(JSON.stringify(buildTimeline(records)));
  });
});
