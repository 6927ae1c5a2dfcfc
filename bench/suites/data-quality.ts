import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildCheckedTimeline } from '../../src/main/services/data-quality/index.ts';
import { buildTimeline } from '../../src/main/services/timeline/index.ts';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import type { Figure, BenchSuite } from '../measure.ts';
import { goalVerdict } from '../support/bench-cache.ts';
import { mixedRecord } from './timeline-build.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function cpuMs(fn: () => unknown): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Issue 19: the quality checks' share of a 100,000-entry timeline build. The build alone and
 * the build with its checks alternate pair by pair in one process (CPU time, heap collected
 * before each), and the figure is the median of the pairs' ratios: a burst of load on the shared
 * machine falls on both builds of a pair, and the median drops the pairs it split.
 */
export const dataQuality: BenchSuite = {
  name: 'data quality: checks on the timeline build',
  async run() {
    // The mixed record's results name no patient (every entry a missing-subject finding): the
    // worst case. The same record with a subject on every record is the usual one.
    const worst = mixedRecord(100_000);
    const usual = worst.map((item) =>
      item.resource.resourceType === 'Encounter' ||
      item.resource.resourceType === 'Observation' ||
      item.resource.resourceType === 'DiagnosticReport'
        ? { ...item, resource: { ...item.resource, subject: { reference: 'Patient/1' } } }
        : item,
    );
    return [...share(worst, 'every result without a subject'), ...share(usual, 'results naming the patient')];
  },
};

/** Pairs of builds per record: enough that the median ratio holds still at load averages of 10–30. */
const PAIRS = 21;

function share(items: SourcedResource[], label: string): Figure[] {
  const bare: number[] = [];
  const checked: number[] = [];
  const ratios: number[] = [];
  buildTimeline(items);
  // Counted outside the timing: the count is for the reader, not part of the checks.
  const findings = buildCheckedTimeline(items).entries.reduce((n, e) => n + (e.quality?.length ?? 0), 0);
  const timeBare = () => {
    collectGarbage();
    return cpuMs(() => buildTimeline(items));
  };
  const timeChecked = () => {
    collectGarbage();
    return cpuMs(() => buildCheckedTimeline(items));
  };
  for (let i = 0; i < PAIRS; i++) {
    // Which build goes first alternates, so neither always runs after the other's garbage or JIT work.
    let b: number;
    let c: number;
    if (i % 2 === 0) {
      b = timeBare();
      c = timeChecked();
    } else {
      c = timeChecked();
      b = timeBare();
    }
    bare.push(b);
    checked.push(c);
    // A pair runs within about a second: a burst of load on the shared machine falls on both builds of it.
    ratios.push(c / b);
  }
  const overhead = (median(ratios) - 1) * 100;
  return [
    {
      name: `buildTimeline + quality checks, 100,000 LIS + CDR records (${label}), CPU time, median of ${PAIRS}`,
      value: median(checked),
      unit: 'ms',
      baseline: { name: 'buildTimeline alone, same run, alternating', value: median(bare) },
    },
    {
      name: `  added by the checks, median of ${PAIRS} paired ratios (${findings.toLocaleString('en')} findings)`,
      value: overhead,
      unit: '%',
      goal: goalVerdict('< 10 % (issue 19)', overhead < 10),
    },
  ];
}
