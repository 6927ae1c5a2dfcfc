/**
 * What identifies the open patient in free text: the names, identifier values and phone
 * numbers their records carry. Narrative and documents are scrubbed of exactly these (plus
 * anything shaped like a 身份证 or a mobile number), since free text cannot be parsed for names.
 */
import type { HumanName, Patient } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { HAN } from './mask-chars.ts';

export const KnownIdentitySchema = z.object({
  names: z.array(z.string()),
  identifiers: z.array(z.string()),
  phones: z.array(z.string()),
});
export type KnownIdentity = z.infer<typeof KnownIdentitySchema>;

export const EMPTY_IDENTITY: KnownIdentity = { names: [], identifiers: [], phones: [] };

/** Every way a record may print a name: text, family+given (汉字 run together, Latin both orders). */
export function nameVariants(name: HumanName): string[] {
  const given = (name.given ?? []).join(' ');
  const family = name.family ?? '';
  const out = [name.text ?? ''];
  if (family && given) {
    if (HAN.test(family + given)) out.push(family + (name.given ?? []).join(''));
    else out.push(`${given} ${family}`, `${family} ${given}`);
  }
  return out.map((n) => n.trim()).filter((n) => n.length >= 2);
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.trim().length > 0))];
}

export function knownIdentityOfPatients(patients: readonly Patient[]): KnownIdentity {
  return {
    names: unique(
      patients.flatMap((p) => [
        ...(p.name ?? []).flatMap(nameVariants),
        ...(p.contact ?? []).flatMap((c) => (c.name ? nameVariants(c.name) : [])),
      ]),
    ),
    identifiers: unique(patients.flatMap((p) => (p.identifier ?? []).map((i) => i.value ?? ''))),
    phones: unique(
      patients.flatMap((p) => [...(p.telecom ?? []), ...(p.contact ?? []).flatMap((c) => c.telecom ?? [])].map((t) => t.value ?? '')),
    ),
  };
}

export function knownIdentityOfCandidate(candidate: PatientCandidate): KnownIdentity {
  return {
    names: unique([candidate.displayName, ...candidate.otherNames].filter((n) => n.trim().length >= 2)),
    identifiers: unique([...candidate.identifiers.map((i) => i.value), ...candidate.refs.map((r) => r.sourcePatientId)]),
    phones: [],
  };
}

export function mergeIdentities(...identities: KnownIdentity[]): KnownIdentity {
  return {
    names: unique(identities.flatMap((i) => i.names)),
    identifiers: unique(identities.flatMap((i) => i.identifiers)),
    phones: unique(identities.flatMap((i) => i.phones)),
  };
}
