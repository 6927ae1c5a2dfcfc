import type { TimelineEntry } from '../../shared/domain/timeline.ts';
import { isMessageKey } from './catalogs.ts';
import type { I18n } from './i18n-context.tsx';

type T = I18n['t'];

/** A code through one catalog prefix; a code the catalogs do not know stays as sent (never dropped). */
function worded(t: T, prefix: string, code: string | undefined): string | undefined {
  if (!code) return undefined;
  for (const c of [code, code.toLowerCase()]) {
    const key = `${prefix}.${c}`;
    if (isMessageKey(key)) return t(key);
  }
  return code;
}

/** A FHIR status code as the clinician's language says it; a code the catalogs do not know stays as sent. */
export function fhirStatusLabel(t: T, code: string): string {
  return worded(t, 'fhirStatus', code) ?? code;
}

/** v3 ActCode displays some systems send instead of the code. */
const CLASS_BY_DISPLAY: Readonly<Record<string, string>> = {
  ambulatory: 'AMB',
  'inpatient encounter': 'IMP',
  inpatient: 'IMP',
  emergency: 'EMER',
  'observation encounter': 'OBSENC',
  'home health': 'HH',
  virtual: 'VR',
  'short stay': 'SS',
  'inpatient acute': 'ACUTE',
  'inpatient non-acute': 'NONAC',
  'pre-admission': 'PRENC',
  field: 'FLD',
};

interface Coded {
  code?: string;
  display?: string;
}
interface Concept {
  coding?: Coded[];
  text?: string;
}
interface CodedResource {
  resourceType: string;
  class?: Coded;
  serviceType?: Concept;
  criticality?: string;
  type?: string | Concept[];
  category?: string[] | Concept[];
  verificationStatus?: Concept;
  docStatus?: string;
  reaction?: { manifestation?: Concept[] }[];
  modality?: Coded[];
  numberOfInstances?: number;
}

const conceptText = (c: Concept | undefined) => c?.text ?? c?.coding?.[0]?.display ?? c?.coding?.[0]?.code;
const conceptCode = (c: Concept | undefined) => c?.coding?.[0]?.code;

export function encounterClassLabel(t: T, cls: Coded | undefined): string | undefined {
  if (!cls) return undefined;
  const code = cls.code ?? (cls.display ? CLASS_BY_DISPLAY[cls.display.toLowerCase()] : undefined);
  const byCode = code ? worded(t, 'encounterClass', code.toUpperCase()) : undefined;
  return byCode && byCode !== code?.toUpperCase() ? byCode : (cls.display ?? cls.code);
}

/** The class in the clinician's words only when the catalogs know it: an unknown code belongs in the details, not a heading. */
export function knownEncounterClass(t: T, cls: Coded | undefined): string | undefined {
  const code = cls?.code ?? (cls?.display ? CLASS_BY_DISPLAY[cls.display.toLowerCase()] : undefined);
  const worded = code ? encounterClassLabel(t, { code }) : undefined;
  return worded && worded !== code ? worded : undefined;
}

/**
 * What kind of visit an encounter was, for its heading: the system's own type ("心内科门诊") and the
 * class worded ("门诊"), the class left out when the type already says it, never a raw v3 code or
 * its English display beside the Chinese. `fallback` names a visit that says neither.
 */
export function encounterKindText(t: T, resource: { type?: Concept[]; class?: Coded }, fallback: string): string {
  const type = conceptText(resource.type?.[0])?.trim();
  const cls = knownEncounterClass(t, resource.class);
  // The core titles a visit without a type by its class code or display: that is no type of its own.
  const ownType = type && type !== resource.class?.code && type !== resource.class?.display ? type : undefined;
  const parts = [ownType, cls && !(ownType ?? '').toLowerCase().includes(cls.toLowerCase()) ? cls : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : fallback;
}

/** The coded facts of an entry's resource a clinician reads, each worded: [label key, value]. */
export function codedFacts(t: T, entry: TimelineEntry): [string, string][] {
  const r = entry.resource as CodedResource;
  const facts: [string, string | undefined][] = [];
  if (r.resourceType === 'Encounter') facts.push([t('detail.encounterClass'), encounterClassLabel(t, r.class)]);
  if (r.resourceType === 'AllergyIntolerance') {
    facts.push([t('detail.criticality'), worded(t, 'summary.criticality', r.criticality)]);
    if (typeof r.type === 'string') facts.push([t('detail.allergyType'), worded(t, 'allergyType', r.type)]);
    const categories = (r.category ?? []).filter((c): c is string => typeof c === 'string');
    if (categories.length) facts.push([t('detail.allergyCategory'), categories.map((c) => worded(t, 'allergyCategory', c)).join('、')]);
  }
  if (r.resourceType === 'Condition' || r.resourceType === 'AllergyIntolerance') {
    const v = conceptCode(r.verificationStatus) ?? conceptText(r.verificationStatus);
    facts.push([t('detail.verification'), v ? fhirStatusLabel(t, v) : undefined]);
  }
  if (r.resourceType === 'DocumentReference' && r.docStatus) facts.push([t('detail.docStatus'), fhirStatusLabel(t, r.docStatus)]);
  return facts.filter((f): f is [string, string] => f[1] !== undefined);
}

/**
 * The row's summary where the core put codes in it (an encounter's class, an allergy's criticality, an
 * imaging study's image count in English): worded again from the resource; other kinds keep the core's.
 */
export function codedSummary(t: T, entry: TimelineEntry): string | undefined {
  const r = entry.resource as CodedResource;
  switch (r.resourceType) {
    case 'Encounter': {
      const parts = [encounterClassLabel(t, r.class), conceptText(r.serviceType)].filter(Boolean);
      return parts.length ? parts.join(' · ') : entry.summary;
    }
    case 'AllergyIntolerance': {
      const reactions = (r.reaction ?? []).flatMap((x) => x.manifestation ?? []).map(conceptText);
      const parts = [worded(t, 'summary.criticality', r.criticality), ...reactions].filter(Boolean);
      return parts.length ? parts.join(' · ') : entry.summary;
    }
    case 'ImagingStudy': {
      const modalities = (r.modality ?? []).map((m) => m.code).filter(Boolean);
      const parts = [modalities.join('/'), r.numberOfInstances ? t('detail.imageCount', { count: r.numberOfInstances }) : ''].filter(
        Boolean,
      );
      return parts.length ? parts.join(' · ') : entry.summary;
    }
    default:
      return entry.summary;
  }
}
