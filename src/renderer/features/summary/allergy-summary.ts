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

function highest(entry: TimelineEntry): Criticality | undefined {
  const own = (entry.resource as AllergyResource).criticality;
  const others = entry.conflicts?.find((c) => c.field === 'criticality')?.values.map((v) => v.value) ?? [];
  let best: Criticality | undefined;
  for (const v of [own, ...others]) if (isCriticality(v) && (!best || RANK[v] > RANK[best])) best = v;
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
    const verification = firstCode(r.verificationStatus);
    if (verification && NOT_TRUE.has(verification)) continue;
    const conflict = (entry.conflicts?.length ?? 0) > 0;
    const clinical = firstCode(r.clinicalStatus);
    // A resolved allergy no system disputes is history; a disputed one stays, marked.
    if (clinical && NOT_CURRENT.has(clinical) && !conflict) continue;
    if (isNoKnownAllergy(entry)) {
      noneKnown.push(entry);
      continue;
    }
    const criticality = highest(entry);
    const reactions = (r.reaction ?? [])
      .flatMap((x) => x.manifestation ?? [])
      .map(conceptWords)
      .filter((w): w is string => !!w);
    lines.push({ entry, title: entry.title, ...(criticality ? { criticality } : {}), reactions: [...new Set(reactions)], conflict });
  }
  lines.sort(
    (a, b) =>
      (b.criticality ? RANK[b.criticality] : 0) - (a.criticality ? RANK[a.criticality] : 0) || a.title.localeCompare(b.title, 'zh-CN'),
  );
  const state: AllergyState = lines.length > 0 ? 'recorded' : noneKnown.length > 0 ? 'none-known' : 'not-recorded';
  return { state, lines, noneKnown };
}
