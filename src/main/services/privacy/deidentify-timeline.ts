/**
 * A patient's timeline (entries or bare resources) → a de-identified FHIR R4 Bundle
 * (type collection) for research or teaching:
 * - the Patient resources (one per system) become ONE pseudonymous Patient: a random id for
 *   this export, gender kept, birth date to the year (or removed); no name, identifier,
 *   telecom, address, photo or contact;
 * - every identifier (and masterIdentifier) is removed, at any depth;
 * - every resource gets a random id for this export and references are rewritten to them
 *   (urn:uuid), consistently; references to resources not exported are dropped;
 * - narrative (any `text` holding a div) is removed; attachments lose their data and URL;
 * - Practitioner, PractitionerRole, RelatedPerson, Person and Organization resources are
 *   dropped, and so is every Reference.display (that is where people's names live);
 *   Coding.display stays;
 * - Provenance resources and meta.source (which carry source-native ids) are dropped;
 * - remaining free text is scrubbed of the patient's known names, ids and phone numbers;
 * - dates optionally shifted by one random number of days for the whole export.
 * Pure: the input is never modified.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { looksLikeAttachment } from './attachment-text.ts';
import { isShiftableDate, shiftDate } from './date-shift.ts';
import type { JsonValue } from './deep-map-strings.ts';
import { EMPTY_IDENTITY, knownIdentityOfPatients, mergeIdentities, type KnownIdentity } from './known-identity.ts';
import { createTextScrubber, type TextScrubber } from './scrub-text.ts';

const DROPPED_TYPES = new Set(['Provenance', 'Practitioner', 'PractitionerRole', 'RelatedPerson', 'Person', 'Organization', 'AuditEvent']);
/** Keys whose values identify people or records and go wherever they appear. */
const DROPPED_KEYS = new Set(['identifier', 'masterIdentifier', 'authorString', 'photo', 'telecom', 'address', 'contact']);
/** An attachment's content and where to fetch it: documents are not exported, only that they existed. */
const ATTACHMENT_CONTENT_KEYS = new Set(['data', 'url', 'hash']);
/** Machine values that must stay exactly as they are. */
const VERBATIM_KEYS = new Set([
  'resourceType',
  'system',
  'code',
  'valueCode',
  'contentType',
  'language',
  'status',
  'use',
  'unit',
  'profile',
  'type',
  'url',
]);

export interface DeidentifyTimelineOptions {
  config?: PrivacyConfig;
  /** More of the patient's identity to scrub from free text (e.g. every system's MRN from the candidate). */
  known?: KnownIdentity;
  /** For tests: a fixed day offset instead of a random one (applied only when config.export.dateShift). */
  dateShiftDays?: number;
}

interface Item {
  resource: Resource;
  /** The system the resource came from: ids are only unique within one system. */
  sourceId: string;
}

function itemsOf(input: readonly TimelineEntry[] | readonly Resource[]): Item[] {
  return input.map((x) =>
    'provenance' in x && 'resource' in x
      ? { resource: x.resource, sourceId: x.provenance[0]?.sourceId ?? '' }
      : { resource: x as Resource, sourceId: '' },
  );
}

interface Context {
  idOf: Map<string, string>;
  patientId: string;
  scrub: TextScrubber;
  shiftDays: number;
  sourceId: string;
}

const refKey = (sourceId: string, typeAndId: string) => `${sourceId}|${typeAndId}`;

function rewriteReference(reference: string, ctx: Context): string | undefined {
  if (reference.startsWith('#')) return reference;
  const typeAndId = /(?:^|\/)([A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference)?.[1];
  if (!typeAndId) return undefined;
  if (typeAndId.startsWith('Patient/')) return `urn:uuid:${ctx.patientId}`;
  const mapped = ctx.idOf.get(refKey(ctx.sourceId, typeAndId)) ?? ctx.idOf.get(refKey('', typeAndId));
  return mapped ? `urn:uuid:${mapped}` : undefined;
}

function isNarrative(value: JsonValue): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.div === 'string';
}

function transform(value: JsonValue, key: string, ctx: Context): JsonValue | undefined {
  if (typeof value === 'string') {
    if (VERBATIM_KEYS.has(key)) return value;
    if (ctx.shiftDays !== 0 && isShiftableDate(value)) return shiftDate(value, ctx.shiftDays);
    return ctx.scrub(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => transform(v, key, ctx)).filter((v): v is JsonValue => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: { [k: string]: JsonValue } = {};
  const attachment = looksLikeAttachment(value);
  // A display beside no code is a Reference's: where people's names live (performer, author).
  const referenceDisplay = !('code' in value) && !('system' in value);
  for (const [k, v] of Object.entries(value)) {
    if (DROPPED_KEYS.has(k) || (k === 'text' && isNarrative(v))) continue;
    if ((attachment && ATTACHMENT_CONTENT_KEYS.has(k)) || (k === 'display' && referenceDisplay)) continue;
    if (k === 'reference' && typeof v === 'string') {
      const rewritten = rewriteReference(v, ctx);
      if (rewritten) out[k] = rewritten;
      continue;
    }
    const t = transform(v, k, ctx);
    if (t !== undefined) out[k] = t;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function pseudonymousPatient(patients: Patient[], id: string, config: PrivacyConfig): Patient {
  const gender = patients.find((p) => p.gender)?.gender;
  const year = patients.map((p) => /^(\d{4})/.exec(p.birthDate ?? '')?.[1]).find(Boolean);
  return {
    resourceType: 'Patient',
    id,
    meta: {
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'PSEUDED', display: 'pseudonymized' }],
    },
    ...(gender ? { gender } : {}),
    ...(year && config.export.birthDate === 'year' ? { birthDate: year } : {}),
  };
}

function deidentifyResource(item: Item, newId: string, ctx: Context): Resource {
  const { id: _id, meta, ...body } = item.resource as Resource & { meta?: { profile?: string[] } };
  const transformed = (transform(body as unknown as JsonValue, '', { ...ctx, sourceId: item.sourceId }) ?? {}) as {
    [k: string]: JsonValue;
  };
  return {
    ...transformed,
    resourceType: item.resource.resourceType,
    id: newId,
    ...(meta?.profile ? { meta: { profile: meta.profile } } : {}),
  } as unknown as Resource;
}

export function deidentifyTimeline(input: readonly TimelineEntry[] | readonly Resource[], options: DeidentifyTimelineOptions = {}): Bundle {
  const config = options.config ?? DEFAULT_PRIVACY_CONFIG;
  const items = itemsOf(input);
  const patients = items.map((i) => i.resource).filter((r): r is Patient => r.resourceType === 'Patient');
  const kept = items.filter((i) => i.resource.resourceType !== 'Patient' && !DROPPED_TYPES.has(i.resource.resourceType));

  const idOf = new Map<string, string>();
  for (const item of kept) {
    const key = refKey(item.sourceId, `${item.resource.resourceType}/${item.resource.id ?? ''}`);
    if (item.resource.id && !idOf.has(key)) idOf.set(key, randomUUID());
  }
  const shiftDays = config.export.dateShift ? (options.dateShiftDays ?? nonZeroOffset(config.export.dateShiftMaxDays)) : 0;
  const ctx: Context = {
    idOf,
    patientId: randomUUID(),
    scrub: createTextScrubber(mergeIdentities(options.known ?? EMPTY_IDENTITY, knownIdentityOfPatients(patients)), config),
    shiftDays,
    sourceId: '',
  };

  const resources: Resource[] = [pseudonymousPatient(patients, ctx.patientId, config)];
  const emitted = new Set<string>();
  for (const item of kept) {
    const newId = idOf.get(refKey(item.sourceId, `${item.resource.resourceType}/${item.resource.id ?? ''}`)) ?? randomUUID();
    if (emitted.has(newId)) continue;
    emitted.add(newId);
    resources.push(deidentifyResource(item, newId, ctx));
  }
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'collection',
    meta: {
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'PSEUDED', display: 'pseudonymized' }],
    },
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id ?? ''}`, resource })),
  };
}

function nonZeroOffset(maxDays: number): number {
  const magnitude = randomInt(1, maxDays + 1);
  return randomInt(2) === 0 ? -magnitude : magnitude;
}
