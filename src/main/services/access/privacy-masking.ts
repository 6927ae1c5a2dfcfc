import type { Patient } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { knownIdentityOfPatients, type KnownIdentity } from '../privacy/known-identity.ts';
import { maskCandidate } from '../privacy/mask-candidate.ts';
import { maskDicomJson, DicomJsonBodySchema, type DicomJsonDataset } from '../privacy/mask-dicom-json.ts';
import { maskIdentifier, maskIdentifierValue } from '../privacy/mask-identifier.ts';
import { maskResourceText, maskTimelineEntries } from '../privacy/mask-timeline.ts';
import { createTextScrubber } from '../privacy/scrub-text.ts';
import type { Masking, MaskLevel } from './masking-port.ts';

/** DICOM attributes that hold patient identifiers (not names): masked for roles that see identifiers masked. */
const DICOM_ID_TAGS = new Set(['00100020', '00101000', '00100021']);

/**
 * Names the record itself prints for its patient: reference displays on subject/patient (the
 * timeline holds no Patient entries when a source sends none, but "Patient/… 张伟" displays abound).
 */
function subjectDisplays(entries: readonly TimelineEntry[]): KnownIdentity {
  const names = new Set<string>();
  for (const { resource } of entries) {
    const r = resource as { subject?: { display?: string }; patient?: { display?: string } };
    for (const display of [r.subject?.display, r.patient?.display]) if (display && display.trim().length >= 2) names.add(display.trim());
  }
  return { names: [...names], identifiers: [], phones: [] };
}

function identifiersOnly(identity: KnownIdentity): KnownIdentity {
  return { names: [], identifiers: identity.identifiers, phones: [] };
}

function maskCandidateIds(candidate: PatientCandidate, config: PrivacyConfig): PatientCandidate {
  const scrub = createTextScrubber({ names: [], identifiers: candidate.identifiers.map((i) => i.value), phones: [] }, config);
  return {
    ...candidate,
    identifiers: candidate.identifiers.map((i) => ({ ...i, value: maskIdentifierValue(i.value, config) })),
    link: { ...candidate.link, reasons: candidate.link.reasons.map(scrub) },
  };
}

function maskEntryIds(entries: readonly TimelineEntry[], config: PrivacyConfig): TimelineEntry[] {
  const patients = entries.map((e) => e.resource).filter((r): r is Patient => r.resourceType === 'Patient');
  const scrub = createTextScrubber(identifiersOnly(knownIdentityOfPatients(patients)), config);
  return entries.map((entry) => {
    if (entry.resource.resourceType !== 'Patient') return { ...entry, resource: maskResourceText(entry.resource, scrub, config) };
    const patient = entry.resource as Patient;
    return { ...entry, resource: { ...patient, ...(patient.identifier ? { identifier: patient.identifier.map((i) => maskIdentifier(i, config)) } : {}) } };
  });
}

function maskDicomIds(body: unknown, config: PrivacyConfig): DicomJsonDataset[] {
  return DicomJsonBodySchema.parse(body).map((dataset) => {
    const out: DicomJsonDataset = { ...dataset };
    for (const tag of DICOM_ID_TAGS) {
      const element = out[tag];
      if (element?.Value) out[tag] = { ...element, Value: element.Value.map((v) => (typeof v === 'string' ? maskIdentifierValue(v, config) : v)) };
    }
    return out;
  });
}

/**
 * The privacy service's maskers behind the access layer's port: privacy mode masks names,
 * identifiers, phone and address ('full'); some roles see only identifiers masked.
 */
export function createPrivacyMasking(config: PrivacyConfig): Masking {
  return {
    candidates(list, level: MaskLevel) {
      if (level === 'none') return [...list];
      return list.map((c) => (level === 'full' ? maskCandidate(c, config) : maskCandidateIds(c, config)));
    },
    entries(list, level) {
      if (level === 'none') return [...list];
      return level === 'full' ? maskTimelineEntries(list, subjectDisplays(list), config) : maskEntryIds(list, config);
    },
    dicomJson(body, level) {
      if (level === 'none') return body;
      return level === 'full' ? maskDicomJson(body, config) : maskDicomIds(body, config);
    },
  };
}
