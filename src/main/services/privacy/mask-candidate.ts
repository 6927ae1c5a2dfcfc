/**
 * A search result (PatientCandidate) as a masked view shows it. `key` and `refs` stay: they
 * are the handles openPatient needs. Note that refs carry each system's own patient id (an
 * MRN); a renderer in privacy mode must not print them.
 */
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { knownIdentityOfCandidate } from './known-identity.ts';
import { maskBirthDate } from './mask-birth-date.ts';
import { maskIdentifierValue } from './mask-identifier.ts';
import { scrubLinkReasons } from './mask-link-reasons.ts';
import { maskPersonName } from './mask-name.ts';
import { createTextScrubber } from './scrub-text.ts';

export function maskCandidate(candidate: PatientCandidate, options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG): PatientCandidate {
  const { birthDate, ...rest } = candidate;
  // Link reasons quote the compared values, so they are scrubbed too.
  const scrub = createTextScrubber(knownIdentityOfCandidate(candidate), options);
  const year = maskBirthDate(birthDate, options.birthDate);
  return {
    ...rest,
    displayName: maskPersonName(candidate.displayName, options),
    otherNames: candidate.otherNames.map((n) => maskPersonName(n, options)),
    ...(year !== undefined ? { birthDate: year } : {}),
    identifiers: candidate.identifiers.map((i) => ({ ...i, value: maskIdentifierValue(i.value, options) })),
    refs: candidate.refs.map((r) => ({ ...r })),
    link: { ...candidate.link, reasons: scrubLinkReasons(candidate.link.reasons, scrub) },
  };
}
