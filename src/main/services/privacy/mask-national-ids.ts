/**
 * The role level of masking: only the 身份证 hides. Nurses and radiologists identify a patient by
 * name and MRN (住院号/病案号) — the two-identifier check (查对) before a drug, a sample or an
 * examination needs both on screen, and a radiologist matches the images to the request by the
 * same pair — while a 身份证 number identifies the person far beyond this hospital and their work
 * never needs it. Names, MRNs, phone and address stay as they are at this level.
 */
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import type { PatientCandidate, PatientIdentifier } from '../../../shared/domain/patient.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { classifyIdentifier } from '../identity/index.ts';
import { DicomJsonBodySchema, type DicomJsonDataset, type DicomJsonElement } from './mask-dicom-json.ts';
import { isResidentIdShape, maskIdentifierValue } from './mask-identifier.ts';
import { scrubLinkReasons } from './mask-link-reasons.ts';
import { maskResourceText } from './mask-timeline.ts';
import { createTextScrubber } from './scrub-text.ts';

/** A 身份证 by what the record says it is (system, type code, label) or, failing that, by its shape. */
export function isNationalIdentifier(identifier: Identifier): boolean {
  return classifyIdentifier(identifier) === 'resident-id' || isResidentIdShape(identifier.value ?? '');
}

function isNationalCandidateId(id: PatientIdentifier): boolean {
  return isNationalIdentifier({
    ...(id.system ? { system: id.system } : {}),
    value: id.value,
    ...(id.label ? { type: { text: id.label } } : {}),
  });
}

/** Scrubs free text of these 身份证 numbers (and of anything shaped like one). */
const scrubberFor = (nationalIds: readonly string[], config: PrivacyConfig) =>
  createTextScrubber({ names: [], identifiers: [...nationalIds], phones: [] }, config);

export function maskCandidateNationalIds(candidate: PatientCandidate, config: PrivacyConfig): PatientCandidate {
  const national = candidate.identifiers.filter(isNationalCandidateId);
  const scrub = scrubberFor(
    national.map((i) => i.value),
    config,
  );
  return {
    ...candidate,
    identifiers: candidate.identifiers.map((i) =>
      isNationalCandidateId(i) ? { ...i, value: maskIdentifierValue(i.value, config) } : { ...i },
    ),
    // Link reasons quote the compared values.
    link: { ...candidate.link, reasons: scrubLinkReasons(candidate.link.reasons, scrub) },
  };
}

export function maskEntriesNationalIds(entries: readonly TimelineEntry[], config: PrivacyConfig): TimelineEntry[] {
  const patients = entries.map((e) => e.resource).filter((r): r is Patient => r.resourceType === 'Patient');
  const national = patients.flatMap((p) => (p.identifier ?? []).filter(isNationalIdentifier).map((i) => i.value ?? ''));
  const scrub = scrubberFor(national, config);
  return entries.map((entry) => {
    if (entry.resource.resourceType !== 'Patient') return { ...entry, resource: maskResourceText(entry.resource, scrub, config) };
    const patient = entry.resource as Patient;
    if (!patient.identifier) return { ...entry };
    const identifier = patient.identifier.map((i) =>
      isNationalIdentifier(i) && i.value !== undefined ? { ...i, value: maskIdentifierValue(i.value, config) } : { ...i },
    );
    return { ...entry, resource: { ...patient, identifier } };
  });
}

/** PatientID and OtherPatientIDs, at any depth (OtherPatientIDsSequence items carry them too). */
const ID_TAGS = new Set(['00100020', '00101000']);
/** The 身份证's issuer OID as PACS write it in IssuerOfPatientID (without "urn:oid:"). */
export const RESIDENT_ID_ISSUERS: ReadonlySet<string> = new Set(['2.16.156.10011.1.3']);

function issuedAsNationalId(dataset: DicomJsonDataset): boolean {
  const issuer = dataset['00100021']?.Value?.[0];
  return typeof issuer === 'string' && RESIDENT_ID_ISSUERS.has(issuer.replace(/^urn:oid:/, ''));
}

function maskDataset(dataset: DicomJsonDataset, config: PrivacyConfig): DicomJsonDataset {
  const byIssuer = issuedAsNationalId(dataset);
  const out: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(dataset)) out[tag] = maskElement(tag.toUpperCase(), element, byIssuer, config);
  return out;
}

function maskElement(tag: string, element: DicomJsonElement, byIssuer: boolean, config: PrivacyConfig): DicomJsonElement {
  if (!element.Value) return { ...element };
  if (element.vr === 'SQ') {
    return {
      ...element,
      Value: element.Value.map((item) =>
        typeof item === 'object' && item !== null && !Array.isArray(item) ? maskDataset(item as DicomJsonDataset, config) : item,
      ),
    };
  }
  if (!ID_TAGS.has(tag)) return { ...element };
  return {
    ...element,
    Value: element.Value.map((v) => (typeof v === 'string' && (byIssuer || isResidentIdShape(v)) ? maskIdentifierValue(v, config) : v)),
  };
}

/** A QIDO/WADO metadata body with only its 身份证 numbers masked (the PACS PatientID is an MRN and stays). */
export function maskDicomJsonNationalIds(body: unknown, config: PrivacyConfig): DicomJsonDataset[] {
  return DicomJsonBodySchema.parse(body).map((dataset) => maskDataset(dataset, config));
}
