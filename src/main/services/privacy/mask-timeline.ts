/**
 * Timeline entries as a masked view shows them: Patient resources masked field by field;
 * every other resource keeps its structure, with each free-text string (narrative XHTML,
 * Composition section text, reference displays, notes) and each text attachment (the CDA XML
 * and its HTML as the DocumentReference carries them) scrubbed of the known identity; entry
 * titles, summaries and conflict values too. Pure: the input entries are never touched.
 */
import type { Attachment, Patient, Resource } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { looksLikeAttachment, rewriteTextAttachment } from './attachment-text.ts';
import { deepMapStrings, type JsonValue } from './deep-map-strings.ts';
import { knownIdentityOfPatients, mergeIdentities, type KnownIdentity } from './known-identity.ts';
import { maskPatient } from './mask-patient.ts';
import { createTextScrubber, type TextScrubber } from './scrub-text.ts';

function asJson(resource: Resource): JsonValue {
  return resource as unknown as JsonValue;
}

/** Any resource with its free text and text attachments scrubbed. */
export function maskResourceText<T extends Resource>(resource: T, scrub: TextScrubber, options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG): T {
  if (resource.resourceType === 'Patient') return maskPatient(resource as Patient, options, scrub) as T;
  const mapped = deepMapStrings(asJson(resource), scrub, (obj) => {
    if (!looksLikeAttachment(obj)) return undefined;
    const rewritten = rewriteTextAttachment(obj as unknown as Attachment, scrub);
    const { data, ...rest } = rewritten;
    const others = deepMapStrings(rest as unknown as JsonValue, scrub) as { [key: string]: JsonValue };
    return data === undefined ? others : { ...others, data };
  });
  return mapped as unknown as T;
}

export function maskTimelineEntries(
  entries: readonly TimelineEntry[],
  known: KnownIdentity,
  options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG,
): TimelineEntry[] {
  // Patients among the entries add what they know (other systems' MRNs, phones) to the identity.
  const patients = entries.map((e) => e.resource).filter((r): r is Patient => r.resourceType === 'Patient');
  const scrub = createTextScrubber(mergeIdentities(known, knownIdentityOfPatients(patients)), options);
  return entries.map((entry) => {
    const { summary, conflicts, ...rest } = entry;
    return {
      ...rest,
      title: scrub(entry.title),
      ...(summary !== undefined ? { summary: scrub(summary) } : {}),
      ...(conflicts ? { conflicts: conflicts.map((c) => ({ ...c, values: c.values.map((v) => ({ ...v, value: scrub(v.value) })) })) } : {}),
      resource: maskResourceText(entry.resource, scrub, options),
    };
  });
}
