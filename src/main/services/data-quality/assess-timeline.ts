import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { buildTimeline, type TimelineBuildHooks } from '../timeline/index.ts';
import { checkConflicts, checkEntry, entryCheckContext, SUBJECT_FIELD, type EntryCheck, type EntryCheckContext } from './entry-findings.ts';
import { FindingInterner } from './finding-interner.ts';
import { EntryProfiles } from './entry-profiles.ts';
import { FindingLists } from './finding-lists.ts';
import { PLAIN, SharedFindings } from './shared-findings.ts';
import { patientFindings } from './record-findings.ts';

const NONE: readonly QualityFinding[] = Object.freeze([]);
/** How many (source, type, kinds) lists #plain keeps at hand. */
const RECENT = 4;

/** A merge's inputs that decide its findings when it has one conflict between two sources, and the list they gave. */
interface RecentConflict {
  a: readonly QualityFinding[] | undefined;
  b: readonly QualityFinding[] | undefined;
  type: string;
  source: string;
  field: string;
  first: string;
  second: string;
  list: readonly QualityFinding[];
}

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
 * The build is handed this object itself, not arrows made per build: its hook call sites then
 * meet one class and the same methods build after build, never a new closure to inline.
 */
class EntryChecks implements TimelineBuildHooks {
  /** Records a source sent again under an id already seen: defects only when their content changed. */
  readonly repeats: SourcedResource[] = [];
  /** Findings about records that are not on the timeline (the Patient's identifiers). */
  readonly recordFindings: QualityFinding[] = [];
  readonly #now: Date;
  // A source's Patient may come twice (the cache, then the live answer): its findings count once.
  readonly #patientsSeen = new Set<string>();
  readonly #context: EntryCheckContext;
  readonly #shared = new SharedFindings();
  readonly #lists = new FindingLists();
  readonly #check: EntryCheck = { mask: 0, detailed: [], count: 0, mapped: undefined };
  readonly #profiles: EntryProfiles;
  /** A merge's findings are gathered here, then shared through #lists. */
  readonly #scratch: QualityFinding[] = [];
  // Records come in runs of one source, type and defect, and a merged record alternates two
  // sources: the last few shared arrays are kept at hand, compared by identity (no map look-up).
  readonly #recent: { source: string; type: string; mask: number; list: readonly QualityFinding[] }[] = [];
  #next = 0;
  #lastA: readonly QualityFinding[] | undefined;
  #lastB: readonly QualityFinding[] | undefined;
  #lastBoth: readonly QualityFinding[] = NONE;
  readonly #recentConflicts: RecentConflict[] = [];
  #nextConflict = 0;
  /**
   * Checks kept for the life of the process, never run. V8 reaches the hidden classes of a
   * class's instances (one per field its constructor adds) only through live instances: the
   * transitions to them are weak. The build's optimised check code embeds them (and those of the
   * profiles, interners and lists this object holds), so once the last build's checks were
   * collected V8 threw that code away ("embedded weak objects cleared") and recompiled it in
   * every build. A static field: a module's constant that no function reads is not kept.
   */
  private static readonly keptShape = new EntryChecks(new Date(0));

  constructor(now: Date) {
    this.#now = now;
    this.#context = entryCheckContext(now, new FindingInterner());
    this.#profiles = new EntryProfiles(this.#context, this.#shared, this.#lists);
  }

  #plain(entry: TimelineEntry, mask: number): readonly QualityFinding[] {
    if (mask === 0) return NONE;
    const type = entry.resource.resourceType;
    const source = entry.provenance[0]!.sourceId;
    const recent = this.#recent;
    for (let i = 0; i < recent.length; i++) {
      const r = recent[i]!;
      if (r.mask === mask && r.source === source && r.type === type) return r.list;
    }
    const list = this.#shared.get(source, type, SUBJECT_FIELD.get(type) ?? 'subject', mask);
    recent[this.#next] = { source, type, mask, list };
    this.#next = (this.#next + 1) % RECENT;
    return list;
  }

  entry(entry: TimelineEntry): void {
    const known = this.#profiles.findings(entry);
    if (known !== undefined) {
      if (known.length > 0) entry.quality = known as QualityFinding[];
      return;
    }
    const check = this.#check;
    check.mask = 0;
    check.count = 0;
    checkEntry(entry, this.#context, check);
    if (check.mask === 0 && check.count === 0) return;
    // Shared, frozen arrays only: entries with the same findings hold the same array.
    entry.quality = this.#lists.of(this.#plain(entry, check.mask), check.detailed, check.count);
  }

  /** A merge keeps both records' findings and words the entry's conflicts anew. */
  merged(merged: TimelineEntry, other: TimelineEntry): void {
    const conflicts = merged.conflicts;
    // Most merges agree: the lists of both records are joined once per pair, not per merge.
    if (conflicts === undefined || conflicts.length === 0) {
      const a = merged.quality;
      const b = other.quality;
      if (b === undefined || a === b) return;
      if (a === undefined) {
        merged.quality = b;
        return;
      }
      if (a !== this.#lastA || b !== this.#lastB) {
        this.#lastA = a;
        this.#lastB = b;
        this.#lastBoth = this.#lists.joined(a, b);
      }
      merged.quality = this.#lastBoth as QualityFinding[];
      return;
    }
    // One value two sources disagree on, merge after merge: the same inputs give the same list.
    const single = conflicts.length === 1 && conflicts[0]!.values.length === 2 ? conflicts[0]! : undefined;
    const type = merged.resource.resourceType;
    const source = merged.provenance[0]!.sourceId;
    if (single !== undefined) {
      const a = merged.quality;
      const b = other.quality;
      const first = single.values[0]!.sourceId;
      const second = single.values[1]!.sourceId;
      const recent = this.#recentConflicts;
      for (let i = 0; i < recent.length; i++) {
        const r = recent[i]!;
        if (
          r.a === a &&
          r.b === b &&
          r.type === type &&
          r.source === source &&
          r.field === single.field &&
          r.first === first &&
          r.second === second
        ) {
          merged.quality = r.list as QualityFinding[];
          return;
        }
      }
      this.#mergeConflicting(merged, other);
      recent[this.#nextConflict] = { a, b, type, source, field: single.field, first, second, list: merged.quality! };
      this.#nextConflict = (this.#nextConflict + 1) % RECENT;
      return;
    }
    this.#mergeConflicting(merged, other);
  }

  #mergeConflicting(merged: TimelineEntry, other: TimelineEntry): void {
    const check = this.#check;
    check.mask = 0;
    check.count = 0;
    checkConflicts(this.#context, merged, check);
    const all = this.#scratch;
    let n = 0;
    for (const f of merged.quality ?? NONE) if (f.code !== 'value-conflict') all[n++] = f;
    for (const f of other.quality ?? NONE) all[n++] = f;
    for (let i = 0; i < check.count; i++) all[n++] = check.detailed[i]!;
    if (n > 0) merged.quality = this.#lists.of(NONE, all, n);
  }

  repeat(item: SourcedResource): void {
    this.repeats.push(item);
  }

  unreadable(item: SourcedResource): void {
    const type = item.resource.resourceType;
    this.recordFindings.push({
      code: 'unreadable-record',
      severity: 'error',
      sourceId: item.provenance.sourceId,
      resourceType: type,
      field: type,
    });
  }

  context(item: SourcedResource): void {
    if (item.resource.resourceType !== 'Patient') return;
    const key = `${item.provenance.sourceId}\u0000${item.provenance.nativeId}`;
    if (this.#patientsSeen.has(key)) return;
    this.#patientsSeen.add(key);
    let found: QualityFinding[];
    try {
      found = patientFindings(item as SourcedResource<Patient>, this.#now);
    } catch {
      // A Patient whose fields are not of their FHIR type: named, never the end of the build.
      return this.unreadable(item);
    }
    this.recordFindings.push(...found);
  }

  duplicate(entry: TimelineEntry, sourceId: string): void {
    const type = entry.resource.resourceType;
    const finding = this.#shared.get(sourceId, type, SUBJECT_FIELD.get(type) ?? 'subject', PLAIN.duplicateId);
    entry.quality = this.#lists.of(entry.quality ?? NONE, finding, 1);
  }
}

/**
 * The timeline of a record with each entry's quality findings on it (`entry.quality`, absent
 * when clean), and the findings of records the timeline does not show: nothing dropped silently.
 */
export function buildCheckedTimeline(items: readonly SourcedResource[], now: Date = new Date()): QualityAssessment {
  const checks = new EntryChecks(now);
  const entries = buildTimeline(items, checks);
  const duplicates = differingRepeats(items, checks.repeats);
  if (duplicates.size > 0) {
    for (const entry of entries)
      for (const p of entry.provenance) if (duplicates.get(p.sourceId)?.has(p.nativeId)) checks.duplicate(entry, p.sourceId);
  }
  return { entries, recordFindings: checks.recordFindings };
}
