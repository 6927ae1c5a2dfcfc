import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../src/main/services/timeline/build-timeline.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { medianMs, type BenchSuite, type Figure, medianCpuMs } from '../measure.ts';
import { goalVerdict } from '../support/bench-cache.ts';

setFlagsFromString('--expose-gc');

const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Runs fn and counts the garbage collections during it. With none, the heap in use right after
 * it (garbage included) is what it took at its peak.
 */
async function collectionsDuring<T>(fn: () => T): Promise<{ value: T; count: number; heapUsedAfter: number }> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const start = performance.now();
  const value = fn();
  const heapUsedAfter = process.memoryUsage().heapUsed;
  const end = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { value, count: seen.filter((e) => e.startTime >= start && e.startTime <= end).length, heapUsedAfter };
}

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
      provenance: {
        sourceId,
        sourceName: sourceId,
        sourceKind: 'fhir',
        nativeId: `Observation/obs-${i}`,
        fetchedAt: '2026-01-01T00:00:00Z',
      },
    });
  }
  return items;
}

/**
 * A record as it comes from a real hospital: the LIS sends each panel in mmol/L under local codes
 * with a report, the CDR sends most results again in mg/dL under LOINC a few seconds apart (so
 * they convert through UCUM and merge, sometimes with a conflicting value), and results point to
 * their encounter. Exercises what the all-alike observations above do not.
 */
export function mixedRecord(count: number): SourcedResource[] {
  const items: SourcedResource[] = [];
  const provenance = (sourceId: string, nativeId: string) => ({
    sourceId,
    sourceName: sourceId.toUpperCase(),
    sourceKind: 'fhir' as const,
    nativeId,
    fetchedAt: '2026-01-01T00:00:00Z',
  });
  const analytes = [
    { local: 'GLU', loinc: '2345-7', mmol: 5.6, factor: 18.016 },
    { local: 'CREA', loinc: '2160-0', mmol: 80, factor: 0.0113 },
    { local: 'LDL-C', loinc: '2089-1', mmol: 3.1, factor: 38.67 },
  ];
  const start = Date.parse('2015-01-01T00:00:00Z');
  for (let panel = 0; items.length < count; panel++) {
    const when = start + panel * 3_600_000;
    const encounter = `Encounter/enc-${Math.floor(panel / 4)}`;
    if (panel % 4 === 0) {
      items.push({
        resource: {
          resourceType: 'Encounter',
          id: `enc-${panel / 4}`,
          status: 'finished',
          class: { code: 'AMB' },
          period: { start: new Date(when).toISOString() },
        },
        provenance: provenance('cdr', encounter),
      });
    }
    const results: string[] = [];
    analytes.forEach((a, k) => {
      const value = Math.round(a.mmol * (0.8 + ((panel * 7 + k) % 9) / 20) * 10) / 10;
      const id = `lis-${panel}-${k}`;
      results.push(`Observation/${id}`);
      items.push({
        resource: {
          resourceType: 'Observation',
          id,
          status: 'final',
          code: { coding: [{ system: 'urn:lis:local', code: a.local }] },
          effectiveDateTime: new Date(when).toISOString(),
          valueQuantity: { value, unit: 'mmol/L' },
          referenceRange: [{ low: { value: a.mmol * 0.7 }, high: { value: a.mmol * 1.2 } }],
          encounter: { reference: encounter },
        },
        provenance: provenance('lis', `MSG${panel}/OBX/${k + 1}`),
      });
      if (panel % 5 !== 0) {
        const sent = Math.round(value * a.factor * (panel % 17 === 0 ? 1.1 : 1) * 10) / 10;
        items.push({
          resource: {
            resourceType: 'Observation',
            id: `cdr-${panel}-${k}`,
            status: 'final',
            code: { coding: [{ system: 'http://loinc.org', code: a.loinc }] },
            effectiveDateTime: new Date(when + 20_000).toISOString(),
            valueQuantity: { value: sent, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
            referenceRange: [{ low: { value: Math.round(a.mmol * 0.7 * a.factor) }, high: { value: Math.round(a.mmol * 1.2 * a.factor) } }],
            encounter: { reference: encounter },
          },
          provenance: provenance('cdr', `Observation/cdr-${panel}-${k}`),
        });
      }
    });
    items.push({
      resource: {
        resourceType: 'DiagnosticReport',
        id: `rep-${panel}`,
        status: 'final',
        code: { text: '生化' },
        effectiveDateTime: new Date(when).toISOString(),
        result: results.map((reference) => ({ reference })),
      },
      provenance: provenance('lis', `MSG${panel}/OBR/1`),
    });
  }
  return items.slice(0, count);
}

/** Deriving the ordered timeline from raw resources, against a bare sort of the same data. */
export const timelineBuild: BenchSuite = {
  name: 'timeline: derive ordered entries from FHIR resources',
  async run() {
    const figures: Figure[] = [];
    for (const count of [10_000, 100_000]) {
      const items = syntheticObservations(count, 6);
      // The floor: parse each time once and sort, with no mapping, normalising or merging.
      const baseline = await medianMs(
        7,
        () => {
          const keyed = items.map((it) => ({
            it,
            t: Date.parse(String((it.resource as { effectiveDateTime?: string }).effectiveDateTime)),
          }));
          return keyed.sort((a, b) => b.t - a.t).map((k) => k.it);
        },
        collectGarbage,
      );
      // Each build on a settled heap: a workstation builds a patient's timeline a few times per
      // open, with network waits between in which V8 collects the previous build's garbage.
      const build = await medianMs(7, () => buildTimeline(items), collectGarbage);
      // Twice: one full collection can leave the last run's objects allocated during marking.
      collectGarbage();
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      const gcs = await collectionsDuring(() => buildTimeline(items));
      const held = gcs.value;
      const heapPeak = gcs.heapUsedAfter;
      collectGarbage();
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
      if (count === 100_000) {
        figures.push({
          name: '  the same, CPU time (less sensitive to other jobs)',
          value: medianCpuMs(7, () => buildTimeline(items), collectGarbage),
          unit: 'ms',
          goal: '< 300 ms (issue 5)',
        });
        figures.push({
          name: '  the same, back to back (the last build’s garbage uncollected)',
          value: await medianMs(5, () => buildTimeline(items)),
          unit: 'ms',
        });
      }
      // At 10,000 entries the held heap is within the noise of other heap changes (a few MB).
      if (count === 100_000)
        figures.push({
          name: `  heap held by the timeline (${count.toLocaleString('en')} entries)`,
          value: Math.max(0, heapAfter - heapBefore) / 1e6,
          unit: 'MB',
        });
      figures.push({
        name: `  heap the build took at its peak (${gcs.count === 0 ? 'no collection during it' : `${gcs.count} collections during it`})`,
        value: Math.max(0, heapPeak - heapBefore) / 1e6,
        unit: 'MB',
        goal: count === 100_000 ? goalVerdict('peak < 200 MB (issue 5)', gcs.count === 0 && heapPeak - heapBefore < 200e6) : undefined,
      });
    }
    const mixed = mixedRecord(100_000);
    const mixedBaseline = await medianMs(
      7,
      () => {
        const keyed = mixed.map((it) => ({ it, t: Date.parse(String((it.resource as { effectiveDateTime?: string }).effectiveDateTime)) }));
        return keyed.sort((a, b) => b.t - a.t).map((k) => k.it);
      },
      collectGarbage,
    );
    figures.push({
      name: 'buildTimeline, 100,000 LIS + CDR records (mg/dL → mmol/L, merges, panels)',
      value: await medianMs(7, () => buildTimeline(mixed), collectGarbage),
      unit: 'ms',
      baseline: { name: 'parse-once sort by date', value: mixedBaseline },
      lowerIsBetter: false,
    });
    figures.push({ name: '  the same, CPU time', value: medianCpuMs(7, () => buildTimeline(mixed), collectGarbage), unit: 'ms' });
    return figures;
  },
};
