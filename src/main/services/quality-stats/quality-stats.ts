import type { QualityOverview, QualityRange, QualitySample, UnmappedCode } from '../../../shared/api/admin-insight.ts';
import type { QualityCode, QualityFinding } from '../../../shared/domain/quality.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { DAY_MS, dayOf, openSealedDays, type DayStateStore } from '../cache/index.ts';
import { checkQualityDay, RETENTION_DAYS, type Contribution, type QualityDay } from './quality-days.ts';
import { createRefMasker, type RefMasker } from './ref-masker.ts';

/** Distinct (resource type, field) samples kept per patient, source and kind: enough to show where, never a list of records. */
const SAMPLES_PER_KIND = 3;
const RANGE_DAYS: Readonly<Record<QualityRange, number>> = { '7d': 7, '30d': RETENTION_DAYS };

export interface QualityStatsOptions {
  /** The encrypted cache's service state; without it the aggregates live in memory until the process ends. */
  store?: DayStateStore;
  clock?: () => number;
  /** How often changed days are written (default one minute); close() writes the rest. */
  flushEveryMs?: number;
  log?: (line: string) => void;
  /**
   * What the drill-down shows for a record's internal key (with the day it was assessed) on the UTC
   * day it is viewed: a mask of its own family (privacy's `createRefMasks().qualitySample`), never
   * the key itself — that is an HMAC of record references, which the audit trail must not reproduce.
   */
  sampleRef: (recordKey: string, day: number) => string;
}

export interface QualityStats {
  /**
   * One patient's record as just assessed, as findings arrays with how many entries carry each;
   * merged with what the same record gave earlier that day (each count at its highest).
   */
  record(refs: readonly SourcePatientRef[], findings: Iterable<readonly [readonly QualityFinding[], number]>): void;
  overview(range: QualityRange, top?: number): QualityOverview;
  /** Where one source's findings of one kind sit: sample reference, resource type, field path (newest day first). */
  samples(sourceId: string, kind: QualityCode, limit?: number): QualitySample[];
  flush(): void;
  close(): void;
}

function contributionOf(groups: Iterable<readonly [readonly QualityFinding[], number]>): Contribution {
  const counts: Contribution['counts'] = {};
  const unmapped = new Map<string, [string, string, string, number]>();
  const samples = new Map<string, Contribution['samples'][number][]>();
  // Findings are interned by the checks: each distinct object is worded once, however many entries carry it.
  const weights = new Map<QualityFinding, number>();
  for (const [findings, times] of groups) for (const f of findings) weights.set(f, (weights.get(f) ?? 0) + times);
  for (const [found, times] of weights) for (const f of attributed(found)) count(f, times);
  return { counts, unmapped: [...unmapped.values()], samples: [...samples.values()].flat() };

  function count(f: QualityFinding, times: number): void {
    const bySource = (counts[f.sourceId] ??= {});
    bySource[f.code] = (bySource[f.code] ?? 0) + times;
    if (f.code === 'unmapped-code') {
      const system = f.params?.system ?? '';
      const code = f.params?.code ?? '';
      const key = `${f.sourceId}\u0000${system}\u0000${code}`;
      const row = unmapped.get(key) ?? [f.sourceId, system, code, 0];
      row[3] += times;
      unmapped.set(key, row);
    }
    const kindKey = `${f.sourceId}\u0000${f.code}`;
    const kept = samples.get(kindKey) ?? [];
    if (kept.length < SAMPLES_PER_KIND && !kept.some(([, , type, field]) => type === f.resourceType && field === f.field)) {
      kept.push([f.sourceId, f.code, f.resourceType, f.field]);
      samples.set(kindKey, kept);
    }
  }
}

/**
 * A value conflict counts against every source involved, in source-id order, as `huizhen quality`
 * counts it: the timeline keeps whichever copy answered first, so pinning it on that one source
 * would move the finding between sources from run to run.
 */
function attributed(f: QualityFinding): readonly QualityFinding[] {
  if (f.code !== 'value-conflict') return [f];
  const involved = [...new Set([f.sourceId, ...(f.params?.sources ?? '').split(',').filter((s) => s !== '')])].sort();
  return involved.map((sourceId) => ({ ...f, sourceId }));
}

/**
 * The same record built again the same day: each count at the most it reached that day. A
 * re-open does not count twice, and a build that missed a source (its deadline passed, a
 * prefetch from the cache) does not take away what a complete one found.
 */
function mergeMax(a: Contribution, b: Contribution): Contribution {
  const counts: Contribution['counts'] = structuredClone(a.counts);
  for (const [sourceId, byKind] of Object.entries(b.counts)) {
    const target = (counts[sourceId] ??= {});
    for (const [kind, n] of Object.entries(byKind)) target[kind] = Math.max(target[kind] ?? 0, n);
  }
  const unmapped = new Map(a.unmapped.map((row) => [`${row[0]}\u0000${row[1]}\u0000${row[2]}`, [...row] as typeof row]));
  for (const row of b.unmapped) {
    const key = `${row[0]}\u0000${row[1]}\u0000${row[2]}`;
    const kept = unmapped.get(key);
    if (kept) kept[3] = Math.max(kept[3], row[3]);
    else unmapped.set(key, [...row]);
  }
  const samples = [...a.samples];
  for (const sample of b.samples) {
    const same = samples.filter(([s, k]) => s === sample[0] && k === sample[1]);
    if (same.length < SAMPLES_PER_KIND && !same.some(([, , type, field]) => type === sample[2] && field === sample[3]))
      samples.push(sample);
  }
  return { counts, unmapped: [...unmapped.values()], samples };
}

/**
 * Data-quality findings as the administrator's console reads them: per patient record, per day,
 * the counts per source and kind, the unmapped local codes and a few field paths — kept 30 days
 * in the encrypted cache, keyed by a masked reference so re-opening a record does not count twice.
 */
export function createQualityStats(options: QualityStatsOptions): QualityStats {
  const clock = options.clock ?? Date.now;
  const days = openSealedDays<QualityDay>(options.store, {
    name: 'quality-stats',
    label: 'quality stats',
    retentionDays: RETENTION_DAYS,
    check: checkQualityDay,
    empty: (day) => ({ day, patients: {} }),
    dayOfValue: (value) => value.day,
    ...(options.flushEveryMs !== undefined ? { flushEveryMs: options.flushEveryMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  // The aggregates' own key per record (re-opens the same day merge under it); never shown.
  const recordKey: RefMasker = createRefMasker(options.store?.deriveServiceKey('huizhen-quality-mask/v1'));
  const rangeDays = (range: QualityRange): number[] => {
    const today = dayOf(clock());
    days.forgetBefore(today - RETENTION_DAYS + 1);
    return Array.from({ length: RANGE_DAYS[range] }, (_, i) => today - RANGE_DAYS[range] + 1 + i);
  };

  function overview(range: QualityRange, top = 20): QualityOverview {
    const dayList = rangeDays(range);
    const sources = new Map<string, { total: number; byKind: Partial<Record<QualityCode, number>>; perDay: number[] }>();
    const unmapped = new Map<string, UnmappedCode>();
    let assessments = 0;
    dayList.forEach((day, index) => {
      for (const contribution of Object.values(days.at(day).patients)) {
        assessments += 1;
        for (const [sourceId, byKind] of Object.entries(contribution.counts)) {
          let s = sources.get(sourceId);
          if (!s) sources.set(sourceId, (s = { total: 0, byKind: {}, perDay: dayList.map(() => 0) }));
          for (const [kind, n] of Object.entries(byKind)) {
            s.byKind[kind as QualityCode] = (s.byKind[kind as QualityCode] ?? 0) + n;
            s.total += n;
            s.perDay[index]! += n;
          }
        }
        for (const [sourceId, system, code, n] of contribution.unmapped) {
          const key = `${sourceId}\u0000${system}\u0000${code}`;
          const u = unmapped.get(key) ?? { sourceId, system, code, count: 0 };
          u.count += n;
          unmapped.set(key, u);
        }
      }
    });
    return {
      range,
      days: dayList.map((d) => d * DAY_MS),
      assessments,
      sources: [...sources].sort(([a], [b]) => a.localeCompare(b)).map(([sourceId, s]) => ({ sourceId, ...s })),
      topUnmapped: [...unmapped.values()]
        .sort((a, b) => b.count - a.count || a.sourceId.localeCompare(b.sourceId) || a.code.localeCompare(b.code))
        .slice(0, top),
    };
  }

  function samples(sourceId: string, kind: QualityCode, limit = 20): QualitySample[] {
    const out: QualitySample[] = [];
    const today = dayOf(clock());
    for (const day of rangeDays('30d').reverse()) {
      const found: QualitySample[] = [];
      for (const [key, contribution] of Object.entries(days.at(day).patients)) {
        // One reference per record and day assessed: the days one record had findings on would
        // otherwise be a pattern to match against the days the audit trail shows a mask opened.
        const maskedRef = options.sampleRef(`${day}\u0000${key}`, today);
        for (const [s, k, resourceType, field] of contribution.samples) {
          if (s === sourceId && k === kind) found.push({ maskedRef, resourceType, field, day: day * DAY_MS });
        }
      }
      // In the sample references' order, not the records' arrival order: the n-th sample of a day
      // must not point at the n-th patient-open of that day in the audit trail.
      found.sort((a, b) => a.maskedRef.localeCompare(b.maskedRef) || a.field.localeCompare(b.field));
      out.push(...found.slice(0, limit - out.length));
      if (out.length >= limit) return out;
    }
    return out;
  }

  return {
    record(refs, findings) {
      if (refs.length === 0) return;
      const contribution = contributionOf(findings);
      if (contribution.samples.length === 0) return;
      const day = dayOf(clock());
      const patients = days.at(day).patients;
      const key = recordKey(refs);
      const earlier = patients[key];
      patients[key] = earlier ? mergeMax(earlier, contribution) : contribution;
      days.changed(day);
    },
    overview,
    samples,
    flush: days.flush,
    close: days.close,
  };
}
