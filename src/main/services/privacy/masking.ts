import type { MaskLevel } from '../../../shared/api/session.ts';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { KnownIdentity } from './known-identity.ts';
import { maskCandidate } from './mask-candidate.ts';
import { maskPart10InPlace, type Part10MaskOutcome } from './dicom/mask-part10.ts';
import { maskDicomJson } from './mask-dicom-json.ts';
import { maskCandidateNationalIds, maskDicomJsonNationalIds, maskEntriesNationalIds } from './mask-national-ids.ts';
import { maskTimelineEntries } from './mask-timeline.ts';

export type { MaskLevel, Part10MaskOutcome };

/** Masking as the access layer applies it per user; pure functions that never mutate (but the one that says so). */
export interface Masking {
  candidates(list: readonly PatientCandidate[], level: MaskLevel): PatientCandidate[];
  entries(list: readonly TimelineEntry[], level: MaskLevel): TimelineEntry[];
  /** An application/dicom+json body (QIDO/WADO metadata), for the viewer's overlay. */
  dicomJson(body: unknown, level: MaskLevel): unknown;
  /**
   * A whole DICOM Part 10 instance, overwritten in place (the caller's own copy: an instance can
   * be 100 MB, not worth a second copy). On a refusal the bytes are partly masked: never serve them.
   */
  dicomPart10InPlace(bytes: Uint8Array, level: MaskLevel): Part10MaskOutcome;
}

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

/**
 * Privacy mode masks names,
 * identifiers, phone and address ('full'); nurses and radiologists see the 身份证 masked
 * ('national-id') and name + MRN as they are, for the two-identifier patient check.
 */
export function createPrivacyMasking(config: PrivacyConfig): Masking {
  return {
    candidates(list, level: MaskLevel) {
      if (level === 'none') return [...list];
      return list.map((c) => (level === 'full' ? maskCandidate(c, config) : maskCandidateNationalIds(c, config)));
    },
    entries(list, level) {
      if (level === 'none') return [...list];
      return level === 'full' ? maskTimelineEntries(list, subjectDisplays(list), config) : maskEntriesNationalIds(list, config);
    },
    dicomJson(body, level) {
      if (level === 'none') return body;
      return level === 'full' ? maskDicomJson(body, config) : maskDicomJsonNationalIds(body, config);
    },
    dicomPart10InPlace: maskPart10InPlace,
  };
}
