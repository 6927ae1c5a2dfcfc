import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { buildTimeline, type TimelineBuildHooks } from '../timeline/index.ts';
import { checkConflicts, checkEntry, entryCheckContext, SUBJECT_FIELD, type EntryCheck, type EntryCheckContext } from './entry-findings.ts';
import { FindingInterner } from './finding-interner.ts';
import { PLAIN, SharedFindings } from './shared-findings.ts';
import { patientFindings } from './record-findings.ts';

export interface QualityAssessment {
  entries: TimelineEntry[];
  /** Findings about records that are not on the timeline (the Patient's identifiers). */
  recordFindings: QualityFinding[];
}

/** Source id → native ids it sent twice with different content (a retried page repeats itself unchanged). */
function differingRepeats(items: readonly SourcedResource[], repeats: readonly SourcedResource[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (repeats.length === 0) return out;
  const firsts = new Map<string, SourcedResource>();
  const wanted = new Set(repeats.map((r) => `${r.provenance.sourceId}\u0000${r.provenance.nativeId}`));
  for (const item of items) {
    const key = `${item.provenance.sourceId}\u0000${item.provenance.nativeId}`;
    if (wanted.has(key) && !firsts.has(key)) firsts.set(key, item);
  }
  for (const repeat of repeats) {
    const first = firsts.get(`${repeat.provenance.sourceId}\u0000${repeat.provenance.nativeId}`);
    if (first === repeat || (first && JSON.stringify(first.resource) === JSON.stringify(repeat.resource))) continue;
    let ids = out.get(repeat.provenance.sourceId);
    if (!ids) out.set(repeat.provenance.sourceId, (ids = new Set()));
    ids.add(repeat.provenance.nativeId);
  }
  return out;
}

/**
 * The checks as build hooks: each record is checked when the build makes its entry (the record
 * is at hand then; a second walk over 100,000 entries cost more than the checks themselves).
 */
class EntryChecks {
  readonly #context: EntryCheckContext;
  readonly #shared = new SharedFindings();
  readonly #check: EntryCheck = { mask: 0, detailed: undefined };
  // Records come in runs of one source, type and defect: the last shared array is kept at hand.
  #lastSource = '';
  #lastType = '';
  #lastMask = 0;
  #lastPlain: readonly QualityFinding[] = [];
  #lastA: readonly QualityFinding[] | undefined;
  #lastB: readonly QualityFinding[] | undefined;
  #lastBoth: readonly QualityFinding[] = [];
  readonly #joined = new WeakMap<readonly QualityFinding[], WeakMap<readonly QualityFinding[], readonly QualityFinding[]>>();

  constructor(now: Date) {
    this.#context = entryCheckContext(now, new FindingInterner());
  }

  #plain(entry: TimelineEntry, mask: number): readonly QualityFinding[] {
    const type = entry.resource.resourceType;
    const sourceId = entry.provenance[0]!.sourceId;
    if (mask !== this.#lastMask || sourceId !== this.#lastSource || type !== this.#lastType) {
      this.#lastPlain = this.#shared.get(sourceId, type, SUBJECT_FIELD.get(type) ?? 'subject', mask);
      this.#lastMask = mask;
      this.#lastSource = sourceId;
      this.#lastType = type;
    }
    return this.#lastPlain;
  }

  entry(entry: TimelineEntry): void {
    const check = this.#check;
    check.mask = 0;
    check.detailed = undefined;
    checkEntry(entry, this.#context, check);
    if (check.mask === 0 && check.detailed === undefined) return;
    const plain = check.mask === 0 ? undefined : this.#plain(entry, check.mask);
    // Parameterless findings only: the shared, frozen array itself (most defective entries).
    entry.quality =
      check.detailed === undefined ? (plain as QualityFinding[]) : plain === undefined ? check.detailed : [...plain, ...check.detailed];
  }

  /** A merge keeps both records' findings and words the entry's conflicts anew. */
  merged(merged: TimelineEntry, other: TimelineEntry): void {
    const conflicts = merged.conflicts;
    // Most merges agree: the shared arrays of both records are joined once per pair, not per merge.
    if (conflicts === undefined || conflicts.length === 0) {
      const a = merged.quality;
      const b = other.quality;
      if (b === undefined || a === b) return;
      if (a === undefined) {
        merged.quality = b;
        return;
      }
      if (a === this.#lastA && b === this.#lastB) {
        merged.quality = this.#lastBoth as QualityFinding[];
        return;
      }
      if (Object.isFrozen(a) && Object.isFrozen(b)) {
        let byB = this.#joined.get(a);
        if (!byB) this.#joined.set(a, (byB = new WeakMap()));
        let both = byB.get(b);
        if (!both) byB.set(b, (both = Object.freeze([...a, ...b])));
        merged.quality = both as QualityFinding[];
        this.#lastA = a;
        this.#lastB = b;
        this.#lastBoth = both;
        return;
      }
    }
    const check = this.#check;
    check.mask = 0;
    check.detailed = undefined;
    checkConflicts(this.#context, merged, check);
    const kept = (merged.quality ?? []).filter((f) => f.code !== 'value-conflict');
    const all = [...kept, ...(other.quality ?? []), ...(check.detailed ?? [])];
    if (all.length > 0) merged.quality = all;
  }

  duplicate(entry: TimelineEntry, sourceId: string): void {
    const type = entry.resource.resourceType;
    const [finding] = this.#shared.get(sourceId, type, SUBJECT_FIELD.get(type) ?? 'subject', PLAIN.duplicateId);
    entry.quality = [...(entry.quality ?? []), finding!];
  }
}

/**
 * The timeline of a record with each entry's quality findings on it (`entry.quality`, absent
 * when clean), and the findings of records the timeline does not show: nothing dropped silently.
 */
export function buildCheckedTimeline(items: readonly SourcedResource[], now: Date = new Date()): QualityAssessment {
  const repeats: SourcedResource[] = [];
  const checks = new EntryChecks(now);
  const recordFindings: QualityFinding[] = [];
  // A source's Patient may come twice (the cache, then the live answer): its findings count once.
  const patientsSeen = new Set<string>();
  const hooks: TimelineBuildHooks = {
    entry: (e) => checks.entry(e),
    merged: (m, o) => checks.merged(m, o),
    repeat: (item) => repeats.push(item),
    context: (item) => {
      if (item.resource.resourceType !== 'Patient') return;
      const key = `${item.provenance.sourceId}\u0000${item.provenance.nativeId}`;
      if (patientsSeen.has(key)) return;
      patientsSeen.add(key);
      recordFindings.push(...patientFindings(item as SourcedResource<Patient>, now));
    },
  };
  const entries = buildTimeline(items, hooks);
  const duplicates = differingRepeats(items, repeats);
  if (duplicates.size > 0) {
    for (const entry of entries)
      for (const p of entry.provenance) if (duplicates.get(p.sourceId)?.has(p.nativeId)) checks.duplicate(entry, p.sourceId);
  }
  return { entries, recordFindings };
}
