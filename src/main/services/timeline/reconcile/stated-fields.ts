import { timeKey } from '../clinical-time.ts';
import type { ReconciledGroup } from './reconcile-keys.ts';
import { statusClass } from './status-class.ts';

/** A resource as plain fields: the record read, or the merged entry's own copy being filled. */
export type Fields = Record<string, unknown>;

/**
 * One thing a problem, allergy or drug record may state that matters for safety. Two systems'
 * records of the same fact are folded field by field: a field the merged entry leaves empty is
 * taken from the system that states it; two systems stating different values is a conflict.
 */
export interface StatedField {
  /** The name of the field's conflict and of its `statedBy` note. */
  field: string;
  /** What the record states, in the words a conflict shows; undefined when it says nothing. */
  read(resource: Fields): string | undefined;
  /** Whether two stated values disagree (default: they differ). */
  disagree?(a: string, b: string): boolean;
  /** A value that is a disagreement even against a record that says nothing (a high criticality). */
  flagsUnstated?(value: string): boolean;
  /** Whether another system's value replaces one already stated (default: never; the onset takes the earliest). */
  replaces?(current: string, other: string): boolean;
  /** Copies the statement of `from` into `to`, the merged entry's own copy. */
  copy(to: Fields, from: Fields): void;
}

interface Reaction {
  manifestation?: unknown;
  severity?: unknown;
}

// Systems send what they send: a field of another type than FHIR's says nothing, never throws,
// and a conflict's values stay strings.
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const codings = (c: unknown) => (isObject(c) && Array.isArray(c.coding) ? (c.coding as unknown[]).filter(isObject) : []);
const firstCode = (c: unknown) =>
  codings(c)
    .map((x) => text(x.code))
    .find((x) => x !== undefined);
const words = (c: unknown) =>
  isObject(c)
    ? (text(c.text) ??
      codings(c)
        .map((x) => text(x.display))
        .find(Boolean) ??
      firstCode(c))
    : undefined;
const reactionsOf = (r: Fields) => (Array.isArray(r.reaction) ? (r.reaction as unknown[]).filter(isObject) : []) as Reaction[];
const manifestations = (x: Reaction) => (Array.isArray(x.manifestation) ? x.manifestation : []);
/** Wording aside (width, case, spacing, the list separators systems use): the same words. */
const normalised = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[、,，;；/]+/)
    .map((w) => w.replace(/[\s\p{P}]+/gu, ''))
    .filter(Boolean)
    .sort()
    .join('|');
const differentWords = (a: string, b: string) => normalised(a) !== normalised(b);

const SEVERITY_RANK: Readonly<Record<string, number>> = { mild: 1, moderate: 2, severe: 3 };

/** Two dates disagree when they differ at the precision both state ("2019" agrees with "2019-03-25"). */
function differentDates(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length, 10);
  return a.slice(0, n) !== b.slice(0, n);
}

function statusField(group: ReconciledGroup): StatedField {
  return {
    field: 'status',
    read: (r) =>
      group === 'medication'
        ? text(r.status)
        : (firstCode(r.clinicalStatus) ?? (isObject(r.clinicalStatus) ? text(r.clinicalStatus.text) : undefined)),
    // "stopped" against "completed" agree (both over); only active against over is a disagreement.
    disagree: (a, b) => {
      const ca = statusClass(group, a);
      const cb = statusClass(group, b);
      return ca !== undefined && cb !== undefined && ca !== cb;
    },
    copy:
      group === 'medication' ? (to, from) => void (to.status = from.status) : (to, from) => void (to.clinicalStatus = from.clinicalStatus),
  };
}

const onset: StatedField = {
  field: 'onset',
  read: (r) => text(r.onsetDateTime) ?? (isObject(r.onsetPeriod) ? text(r.onsetPeriod.start) : undefined),
  disagree: differentDates,
  // The earliest any system states: the condition has been there at least since then.
  replaces: (current, other) => differentDates(current, other) && timeKey(other) < timeKey(current),
  copy: (to, from) => {
    delete to.onsetDateTime;
    delete to.onsetPeriod;
    if (from.onsetDateTime !== undefined) to.onsetDateTime = from.onsetDateTime;
    else to.onsetPeriod = from.onsetPeriod;
  },
};

const criticality: StatedField = {
  field: 'criticality',
  read: (r) => text(r.criticality),
  // A high criticality one system states and another leaves out is flagged: never read as "not stated".
  flagsUnstated: (v) => v === 'high',
  copy: (to, from) => void (to.criticality = from.criticality),
};

const verification: StatedField = {
  field: 'verification',
  read: (r) => firstCode(r.verificationStatus),
  copy: (to, from) => void (to.verificationStatus = from.verificationStatus),
};

const reaction: StatedField = {
  field: 'reaction',
  read: (r) => {
    const all = reactionsOf(r)
      .flatMap(manifestations)
      .map(words)
      .filter((w): w is string => !!w);
    return all.length > 0 ? [...new Set(all)].join('、') : undefined;
  },
  disagree: differentWords,
  copy: (to, from) => void (to.reaction = from.reaction),
};

const severity: StatedField = {
  field: 'severity',
  read: (r) => {
    let best: string | undefined;
    for (const x of reactionsOf(r)) {
      const stated = text(x.severity);
      if (stated && (SEVERITY_RANK[stated] ?? 0) > (best ? (SEVERITY_RANK[best] ?? 0) : -1)) best = stated;
    }
    return best;
  },
  copy: (to, from) => {
    const own = reactionsOf(to);
    const stated = severity.read(from);
    // The severity goes onto the reactions this record names, not onto another system's words.
    to.reaction = own.length === 0 ? from.reaction : own.map((x) => (text(x.severity) ? x : { ...x, severity: stated }));
  },
};

/** A MedicationRequest's dosageInstruction, a MedicationStatement's dosage. */
const dosageOf = (r: Fields) => (r.resourceType === 'MedicationStatement' ? r.dosage : r.dosageInstruction);

const dose: StatedField = {
  field: 'dose',
  read: (r) => {
    const dosage = dosageOf(r);
    return Array.isArray(dosage) ? dosage.map((d) => (isObject(d) ? text(d.text) : undefined)).find(Boolean) : undefined;
  },
  disagree: differentWords,
  copy: (to, from) => {
    const stated = dosageOf(from);
    if (to.resourceType === 'MedicationStatement') to.dosage = stated;
    else to.dosageInstruction = stated;
  },
};

/** Per group, in the order they are folded (a reaction before its severity). */
export const STATED_FIELDS: Readonly<Record<ReconciledGroup, readonly StatedField[]>> = {
  condition: [statusField('condition'), onset],
  allergy: [statusField('allergy'), verification, criticality, reaction, severity, onset],
  medication: [statusField('medication'), dose],
};
