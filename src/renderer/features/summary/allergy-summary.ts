import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { conceptWords, type Concept } from './concept-words.ts';

/**
 * "无已知过敏" and "未记录过敏" are different answers: the first is a statement a system made
 * (a coded "no known allergy" record), the second is the absence of any statement.
 */
export type AllergyState = 'recorded' | 'none-known' | 'not-recorded';
export type Criticality = 'high' | 'low' | 'unable-to-assess';

export interface AllergyLine {
  entry: TimelineEntry;
  title: string;
  /** The highest any system gave (a merged entry keeps the others' in its criticality conflict). */
  criticality?: Criticality;
  /** The system that gave it, when several systems recorded the allergy. */
  criticalitySource?: string;
  reactions: string[];
  conflict: boolean;
}

export interface AllergySummary {
  state: AllergyState;
  /** High first, then low, then unassessed; by name within each. */
  lines: AllergyLine[];
  /** The "no known allergy" records, when that is the state (to open them). */
  noneKnown: TimelineEntry[];
}

/** SNOMED CT "no known …allergy" situations (716186003 any, 409137002 drug, 429625007 food, 428607008 environmental). */
const NO_KNOWN_ALLERGY = new Set(['716186003', '409137002', '429625007', '428607008']);
// Uncoded statements of the same, as Chinese and English records word them.
const NO_KNOWN_TEXT = /^(无已知过敏|否认.*过敏|无过敏史|nka|nkda|no known (drug )?allerg)/i;
const RANK: Readonly<Record<Criticality, number>> = { high: 3, low: 2, 'unable-to-assess': 1 };
const NOT_CURRENT = new Set(['inactive', 'resolved']);
const NOT_TRUE = new Set(['refuted', 'entered-in-error']);

interface AllergyResource {
  code?: Concept;
  criticality?: string;
  clinicalStatus?: Concept;
  verificationStatus?: Concept;
  reaction?: { manifestation?: Concept[] }[];
}

function isCriticality(v: string | undefined): v is Criticality {
  return v === 'high' || v === 'low' || v === 'unable-to-assess';
}

/** The highest criticality any system gave, and the system that gave it. */
function highest(entry: TimelineEntry): { criticality?: Criticality; source?: string } {
  const own = (entry.resource as AllergyResource).criticality;
  const ownSource = entry.statedBy?.find((s) => s.field === 'criticality')?.sourceName ?? entry.provenance[0]!.sourceName;
  const stated = [{ value: own, source: ownSource }];
  for (const v of entry.conflicts?.find((c) => c.field === 'criticality')?.values ?? [])
    stated.push({ value: v.value, source: v.sourceName });
  let best: { criticality?: Criticality; source?: string } = {};
  for (const { value, source } of stated)
    if (isCriticality(value) && (!best.criticality || RANK[value] > RANK[best.criticality])) best = { criticality: value, source };
  return best;
}

function firstCode(concept: Concept | undefined): string | undefined {
  return concept?.coding?.find((c) => c.code)?.code;
}

export function isNoKnownAllergy(entry: TimelineEntry): boolean {
  if (entry.codes.some((c) => c.code !== undefined && NO_KNOWN_ALLERGY.has(c.code))) return true;
  return entry.codes.length === 0 && NO_KNOWN_TEXT.test(entry.title.trim());
}

/** The patient's allergies and intolerances across every system, for the banner and the summary. */
export function summarizeAllergies(entries: readonly TimelineEntry[]): AllergySummary {
  const lines: AllergyLine[] = [];
  const noneKnown: TimelineEntry[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'allergy') continue;
    const r = entry.resource as AllergyResource;
    const conflict = (entry.conflicts?.length ?? 0) > 0;
    // Refuted by every system that says anything is not an allergy; refuted by one and confirmed by another stays, marked.
    const verification = firstCode(r.verificationStatus);
    if (verification && NOT_TRUE.has(verification) && !conflict) continue;
    const clinical = firstCode(r.clinicalStatus);
    // A resolved allergy no system disputes is history; a disputed one stays, marked.
    if (clinical && NOT_CURRENT.has(clinical) && !conflict) continue;
    if (isNoKnownAllergy(entry)) {
      noneKnown.push(entry);
      continue;
    }
    const { criticality, source } = highest(entry);
    const severalSystems = new Set(entry.provenance.map((p) => p.sourceId)).size > 1;
    const reactions = (r.reaction ?? [])
      .flatMap((x) => x.manifestation ?? [])
      .map(conceptWords)
      .filter((w): w is string => !!w);
    lines.push({
      entry,
      title: entry.title,
      ...(criticality ? { criticality } : {}),
      ...(criticality && severalSystems && source ? { criticalitySource: source } : {}),
      reactions: [...new Set(reactions)],
      conflict,
    });
  }
  lines.sort(
    (a, b) =>
      (b.criticality ? RANK[b.criticality] : 0) - (a.criticality ? RANK[a.criticality] : 0) || a.title.localeCompare(b.title, 'zh-CN'),
  );
  const state: AllergyState = lines.length > 0 ? 'recorded' : noneKnown.length > 0 ? 'none-known' : 'not-recorded';
  return { state, lines, noneKnown };
}
