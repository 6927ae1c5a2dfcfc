import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../src/main/services/timeline/build-timeline.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { medianMs, type BenchSuite, type Figure } from '../measure.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function syntheticObservations(count: number, sources: number): SourcedResource[] {
  const items: SourcedResource[] = [];
  const start = Date.parse('2015-01-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const sourceId = `src-${i % sources}`;
    const resource: Resource = {
      resourceType: 'Observation',
      id: `obs-${i}`,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
      effectiveDateTime: new Date(start + ((i * 7919) % count) * 3_600_000).toISOString(),
      valueQuantity: { value: 4 + (i % 50) / 10, unit: 'mmol/L' },
      interpretation: i % 9 === 0 ? [{ coding: [{ code: 'H' }] }] : undefined,
    };
    items.push({
      resource,
      provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Observation/obs-${i}`, fetchedAt: '2026-01-01T00:00:00Z' },
    });
  }
  return items;
}

/** Deriving the ordered timeline from raw resources, against a bare sort of the same data. */
export const timelineBuild: BenchSuite = {
  name: 'timeline: derive ordered entries from FHIR resources',
  async run() {
    const figures: Figure[] = [];
    for (const count of [10_000, 100_000]) {
      const items = syntheticObservations(count, 6);
      // The floor: parse each time once and sort, with no mapping, normalising or merging.
      const baseline = await medianMs(5, () => {
        const keyed = items.map((it) => ({ it, t: Date.parse(String((it.resource as { effectiveDateTime?: string }).effectiveDateTime)) }));
        return keyed.sort((a, b) => b.t - a.t).map((k) => k.it);
      });
      const build = await medianMs(5, () => buildTimeline(items));
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      const held = buildTimeline(items);
      collectGarbage();
      const heapAfter = process.memoryUsage().heapUsed;
      void held.length;
      figures.push({
        name: `buildTimeline, ${count.toLocaleString('en')} observations from 6 sources`,
        value: build,
        unit: 'ms',
        baseline: { name: 'parse-once sort by date', value: baseline },
        lowerIsBetter: false,
        goal: count === 100_000 ? '< 300 ms incl. de-duplication (issue 5)' : undefined,
      });
      figures.push({ name: `  heap held by the timeline (${count.toLocaleString('en')} entries)`, value: Math.max(0, heapAfter - heapBefore) / 1e6, unit: 'MB', goal: count === 100_000 ? 'peak < 200 MB (issue 5)' : undefined });
    }
    return figures;
  },
};
