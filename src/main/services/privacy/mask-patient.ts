/**
 * A FHIR Patient as a masked view shows it. Kept: id, meta, gender, active, communication,
 * links and the kinds of identifier (system/type), because the clinician still needs to tell
 * records apart and a patient's sex matters clinically. Masked: names, identifier values,
 * telecom, addresses, contacts; birth date to the year (or hidden); narrative scrubbed;
 * photos dropped (a face cannot be masked by text rules).
 */
import type { Patient, PatientContact } from '@medplum/fhirtypes';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import { knownIdentityOfPatients } from './known-identity.ts';
import { maskAddress } from './mask-address.ts';
import { maskBirthDate } from './mask-birth-date.ts';
import { maskIdentifier } from './mask-identifier.ts';
import { maskHumanName } from './mask-name.ts';
import { maskContactPoint } from './mask-phone.ts';
import { createTextScrubber, type TextScrubber } from './scrub-text.ts';

function maskContact(contact: PatientContact, options: PrivacyConfig): PatientContact {
  const masked: PatientContact = { ...contact };
  if (contact.name) masked.name = maskHumanName(contact.name, options);
  if (contact.telecom) masked.telecom = contact.telecom.map((t) => maskContactPoint(t, options));
  if (contact.address) masked.address = maskAddress(contact.address, options);
  return masked;
}

export function maskPatient(patient: Patient, options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG, scrub?: TextScrubber): Patient {
  const { photo: _photo, birthDate, text, ...rest } = patient;
  const masked: Patient = { ...rest };
  if (patient.name) masked.name = patient.name.map((n) => maskHumanName(n, options));
  if (patient.identifier) masked.identifier = patient.identifier.map((i) => maskIdentifier(i, options));
  if (patient.telecom) masked.telecom = patient.telecom.map((t) => maskContactPoint(t, options));
  if (patient.address) masked.address = patient.address.map((a) => maskAddress(a, options));
  if (patient.contact) masked.contact = patient.contact.map((c) => maskContact(c, options));
  const year = maskBirthDate(birthDate, options.birthDate);
  if (year !== undefined) masked.birthDate = year;
  if (text) {
    const scrubber = scrub ?? createTextScrubber(knownIdentityOfPatients([patient]), options);
    masked.text = { ...text, div: scrubber(text.div) };
  }
  return masked;
}
