import type { Patient } from '../../../shared/domain/fhir.ts';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { stayKey, type Stay } from './census.ts';

/**
 * Groups system records into people as the identity service does for a search (identifiers,
 * demographics, the users' confirm/unlink decisions, cross-references): each group lists the
 * records of one person, perhaps more than were given (a system reached by cross-reference).
 */
export type LinkPersonsPort = (patients: readonly SourcedResource<Patient>[]) => { refs: SourcePatientRef[] }[];

/** One person on the worklist: their stays as each system places them, and every record linked to them. */
export interface PersonStays<S extends { stay: Stay }> {
  /** The stay whose bed and ward the row shows. */
  primary: S;
  /** Every system's stay of this person, the primary first. */
  stays: S[];
  /** Every system record linked to the person: the stays' records first, then those reached by cross-reference. */
  refs: SourcePatientRef[];
  /** The systems place the person on different wards or beds (admitted stays only). */
  conflict: boolean;
}

/**
 * Which stay is the row's: an admission over a discharge, then the HIS's own feed (pushed ADT,
 * the census query, the broker) over the CDR's copy — in a Chinese hospital the HIS assigns
 * beds, and a CDR learns of a transfer after it — then the most recent admission.
 */
function authority(a: Stay, b: Stay): number {
  const status = (s: Stay) => (s.status === 'admitted' ? 0 : 1);
  const feed = (s: Stay) => (s.via === 'fhir' ? 1 : 0);
  return (
    status(a) - status(b) ||
    feed(a) - feed(b) ||
    (b.admittedAt ?? '').localeCompare(a.admittedAt ?? '') ||
    stayKey(a.patient).localeCompare(stayKey(b.patient))
  );
}

const placeOf = (stay: Stay): string => `${stay.location.ward}\u0000${stay.location.bed ?? ''}`;

/**
 * The census's own view of a record, as a FHIR Patient, for records the cache does not hold yet:
 * what the ADT or the encounter said (name, sex, birth date, identifiers).
 */
export function patientOfStay(stay: Stay): Patient {
  return {
    resourceType: 'Patient',
    id: stay.patient.sourcePatientId,
    ...(stay.name ? { name: [{ text: stay.name }] } : {}),
    ...(stay.sex ? { gender: stay.sex } : {}),
    ...(stay.birthDate ? { birthDate: stay.birthDate } : {}),
    ...(stay.identifiers
      ? {
          identifier: stay.identifiers.map((i) => ({
            value: i.value,
            ...(i.system ? { system: i.system } : {}),
            ...(i.type ? { type: { coding: [{ code: i.type }] } } : {}),
          })),
        }
      : {}),
  } as Patient;
}

/**
 * One entry per person: stays whose records the identity service links are one person, shown at
 * the most authoritative stay's bed, with every system's stay kept (provenance) and a
 * disagreement on ward or bed marked, not resolved. A stay the linker does not place is a person
 * on its own.
 */
export function groupStays<S extends { stay: Stay; patient: SourcedResource<Patient> }>(
  entries: readonly S[],
  link: LinkPersonsPort | undefined,
): PersonStays<S>[] {
  const groups = link && entries.length > 1 ? link(entries.map((e) => e.patient)) : [];
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => {
    for (const ref of g.refs) if (!groupOf.has(stayKey(ref))) groupOf.set(stayKey(ref), i);
  });
  const byGroup = new Map<string, S[]>();
  for (const entry of entries) {
    const key = stayKey(entry.stay.patient);
    const group = groupOf.get(key);
    const id = group === undefined ? `own:${key}` : `group:${group}`;
    byGroup.set(id, [...(byGroup.get(id) ?? []), entry]);
  }
  return [...byGroup.entries()].map(([id, members]) => {
    const stays = [...members].sort((a, b) => authority(a.stay, b.stay));
    const own = stays.map((s) => s.stay.patient);
    const ownKeys = new Set(own.map(stayKey));
    const linked = id.startsWith('group:') ? (groups[Number(id.slice(6))]?.refs ?? []) : [];
    const more = linked.filter((r) => !ownKeys.has(stayKey(r)));
    const admitted = stays.filter((s) => s.stay.status === 'admitted');
    return {
      primary: stays[0]!,
      stays,
      refs: [...own, ...more.filter((r, i) => more.findIndex((x) => stayKey(x) === stayKey(r)) === i)],
      conflict: new Set(admitted.map((s) => placeOf(s.stay))).size > 1,
    };
  });
}
