import type { Observation } from '@medplum/fhirtypes';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { TimelineCoding, TimelineEntry } from '../../../shared/domain/timeline.ts';
import { checkFixed, implausibleFinding, SUBJECT_FIELD, varyingMask, type EntryCheck, type EntryCheckContext } from './entry-findings.ts';
import type { FindingLists } from './finding-lists.ts';
import { brokenSide, type PlausibleRange } from './plausibility.ts';
import type { SharedFindings } from './shared-findings.ts';

const NONE: readonly QualityFinding[] = Object.freeze([]);
/** Entries without codes share one key whatever array they hold (some kinds make a fresh empty one). */
const NO_CODES: readonly TimelineCoding[] = Object.freeze([]);
const SIDE = { low: 1, high: 2 } as const;

/**
 * What the checks conclude from the parts of an entry that a source repeats result after result
 * (its source, type, kind, coding, analyte and units), and the lists its entries ended up with.
 */
interface Profile {
  source: string;
  type: string;
  kind: string;
  loinc: string | undefined;
  analyte: string | undefined;
  labUnit: string | undefined;
  labValued: boolean;
  unit: string | undefined;
  valued: boolean;
  subjectField: string | undefined;
  /** Parameterless findings of the code (missing-code). */
  mask: number;
  /** Findings with parameters of the code and units, in the order checkEntry gives them. */
  fixed: readonly QualityFinding[];
  /** The range the value is held to, when it is. */
  range: PlausibleRange | undefined;
  mapped: { uses: number } | undefined;
  /** The list of the last (mask, side) seen, then all of them: a run of entries mostly repeats one. */
  lastKey: number;
  lastList: readonly QualityFinding[];
  lists: Map<number, readonly QualityFinding[]> | undefined;
}

/**
 * The per-entry checks with what depends only on an entry's coding and units worked out once per
 * build for each distinct one: a 100,000-entry record repeats a few hundred codings, so each
 * entry costs a look-up by its (interned) codes array, a few comparisons, and the checks of its
 * own values (range, text value, times, subject). Entries with several codings (their arrays are
 * not shared) return undefined: the caller checks them in full.
 */
export class EntryProfiles {
  readonly #byCodes = new Map<readonly TimelineCoding[], Profile[]>();
  readonly #context: EntryCheckContext;
  readonly #shared: SharedFindings;
  readonly #lists: FindingLists;
  readonly #check: EntryCheck = { mask: 0, detailed: [], count: 0, mapped: undefined };
  /** Whether the last #profile call made its profile (then checkFixed already counted the mapping's use). */
  #made = false;

  constructor(context: EntryCheckContext, shared: SharedFindings, lists: FindingLists) {
    this.#context = context;
    this.#shared = shared;
    this.#lists = lists;
  }

  /** The entry's findings (a shared frozen list, empty when clean), or undefined when it has no profile. */
  findings(entry: TimelineEntry): readonly QualityFinding[] | undefined {
    const codes = entry.codes;
    if (codes.length > 1) return undefined;
    this.#made = false;
    const p = this.#profile(entry, codes.length === 0 ? NO_CODES : codes);
    if (p.mapped !== undefined && !this.#made) p.mapped.uses++;
    let side = 0;
    if (p.range !== undefined) {
      const broken = brokenSide(p.range, entry.lab!.value!);
      if (broken !== undefined) side = SIDE[broken];
    }
    const key = ((p.mask | varyingMask(entry, this.#context, p.subjectField)) << 2) | side;
    if (key === p.lastKey) return p.lastList;
    let list = p.lists?.get(key);
    if (list === undefined) (p.lists ??= new Map()).set(key, (list = this.#listOf(p, entry, key)));
    p.lastKey = key;
    p.lastList = list;
    return list;
  }

  #listOf(p: Profile, entry: TimelineEntry, key: number): readonly QualityFinding[] {
    const mask = key >> 2;
    const side = key & 3;
    const detailed = this.#check.detailed;
    let count = 0;
    for (const f of p.fixed) detailed[count++] = f;
    if (side !== 0)
      detailed[count++] = implausibleFinding(
        this.#context,
        p.source,
        entry.lab as { analyte: string; loinc: string },
        side === SIDE.low ? 'low' : 'high',
        p.range!,
      );
    if (mask === 0 && count === 0) return NONE;
    const plain = mask === 0 ? NONE : this.#shared.get(p.source, p.type, p.subjectField ?? 'subject', mask);
    return this.#lists.of(plain, detailed, count);
  }

  #profile(entry: TimelineEntry, codes: readonly TimelineCoding[]): Profile {
    const source = entry.provenance[0]!.sourceId;
    const resource = entry.resource;
    const type = resource.resourceType;
    const lab = entry.lab;
    const q = type === 'Observation' ? (resource as Observation).valueQuantity : undefined;
    const unit = q?.code ?? q?.unit;
    const valued = q?.value !== undefined;
    let bucket = this.#byCodes.get(codes);
    if (bucket === undefined) this.#byCodes.set(codes, (bucket = []));
    for (let i = 0; i < bucket.length; i++) {
      const p = bucket[i]!;
      if (
        p.source === source &&
        p.type === type &&
        p.kind === entry.kind &&
        p.loinc === lab?.loinc &&
        p.analyte === lab?.analyte &&
        p.labUnit === lab?.unit &&
        p.labValued === (lab?.value !== undefined) &&
        p.unit === unit &&
        p.valued === valued
      )
        return p;
    }
    const check = this.#check;
    check.mask = 0;
    check.count = 0;
    check.mapped = undefined;
    const range = checkFixed(entry, this.#context, check);
    const p: Profile = {
      source,
      type,
      kind: entry.kind,
      loinc: lab?.loinc,
      analyte: lab?.analyte,
      labUnit: lab?.unit,
      labValued: lab?.value !== undefined,
      unit,
      valued,
      subjectField: SUBJECT_FIELD.get(type),
      mask: check.mask,
      fixed: Object.freeze(check.detailed.slice(0, check.count)),
      range,
      mapped: check.mapped,
      lastKey: -1,
      lastList: NONE,
      lists: undefined,
    };
    bucket.push(p);
    // checkFixed counted this entry's use of the mapping: later entries count on every look-up.
    this.#made = true;
    return p;
  }
}
