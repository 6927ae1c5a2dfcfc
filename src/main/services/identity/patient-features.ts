import type { Patient } from '@medplum/fhirtypes';
import { normaliseAddress, type NormalisedAddress } from './addresses.ts';
import {
  classifyIdentifier,
  compactIdentifierValue,
  DEFAULT_IDENTIFIER_POLICY,
  identifierLabel,
  type IdentifierPolicy,
} from './identifier-kinds.ts';
import { nameForms, type NameForm } from './name-forms.ts';
import { patientDisplayNames } from './patient-names.ts';
import { normalisePhone } from './phone-numbers.ts';
import { checkResidentId, residentIdMismatches, type ResidentIdCheck, type ResidentIdMismatch } from './resident-id.ts';

export interface ResidentIdFact {
  /** As written on the record (compacted). */
  value: string;
  check: ResidentIdCheck;
  /** Where a valid number contradicts the record's own birth date or sex. */
  mismatches: ResidentIdMismatch[];
}

/** A strong identifier other than 身份证: equal keys mean the same person. */
export interface StrongIdentifierFact {
  kind: 'insurance' | 'mpi' | 'passport';
  /** Issuer (Identifier.system), compared before the value. */
  issuer: string;
  value: string;
  label: string;
}

/** Everything the matcher compares, extracted once per record. */
export interface PatientFeatures {
  displayName: string;
  names: NameForm[];
  birthDate?: string;
  sex?: 'male' | 'female';
  phones: string[];
  addresses: NormalisedAddress[];
  residentIds: ResidentIdFact[];
  strongIds: StrongIdentifierFact[];
  /** "system|value" of every MRN the record carries. */
  mrns: string[];
  /**
   * True when the record lists MRNs of two or more systems, as a PIX manager's answer or an
   * MPI's golden record does: only then do its MRNs say anything about other systems' records.
   */
  isCrossReference: boolean;
}

function addressText(address: NonNullable<Patient['address']>[number]): string {
  if (address.text?.trim()) return address.text;
  return [address.state, address.city, address.district, ...(address.line ?? [])].filter(Boolean).join(' ');
}

export function extractFeatures(patient: Patient, policy: IdentifierPolicy = DEFAULT_IDENTIFIER_POLICY): PatientFeatures {
  const sex = patient.gender === 'male' || patient.gender === 'female' ? patient.gender : undefined;
  const birthDate = patient.birthDate?.trim() || undefined;
  const residentIds: ResidentIdFact[] = [];
  const strongIds: StrongIdentifierFact[] = [];
  const mrns: string[] = [];
  const seenResident = new Set<string>();
  for (const identifier of patient.identifier ?? []) {
    const raw = identifier.value?.trim();
    if (!raw) continue;
    const kind = classifyIdentifier(identifier, policy);
    const value = compactIdentifierValue(raw);
    if (kind === 'resident-id') {
      const check = checkResidentId(value);
      const key = check.valid ? check.id : value;
      if (seenResident.has(key)) continue;
      seenResident.add(key);
      residentIds.push({ value, check, mismatches: check.valid ? residentIdMismatches(check, { birthDate, sex }) : [] });
    } else if (kind === 'insurance' || kind === 'mpi' || kind === 'passport') {
      strongIds.push({ kind, issuer: identifier.system ?? '', value, label: identifierLabel(identifier) ?? kind });
    } else if (kind === 'mrn' && identifier.system) {
      // An MRN without a system names nothing outside its own record.
      mrns.push(`${identifier.system}|${value}`);
    }
  }
  const mrnSystems = new Set(mrns.map((k) => k.slice(0, k.lastIndexOf('|'))));
  return {
    displayName: patientDisplayNames(patient).display,
    names: nameForms(patient.name ?? []),
    birthDate,
    sex,
    phones: [
      ...new Set(
        (patient.telecom ?? [])
          .filter((t) => t.system === 'phone' || t.system === 'sms' || t.system === undefined)
          .map((t) => (t.value ? normalisePhone(t.value) : undefined))
          .filter((p): p is string => Boolean(p)),
      ),
    ],
    addresses: (patient.address ?? []).map((a) => normaliseAddress(addressText(a))).filter((a): a is NormalisedAddress => Boolean(a)),
    residentIds,
    strongIds,
    mrns,
    isCrossReference: mrnSystems.size >= 2,
  };
}
