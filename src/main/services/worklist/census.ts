import { z } from 'zod';
import { SourcePatientRefSchema, type SourcePatientRef } from '../../../shared/domain/source.ts';
import { BedLocationSchema, StayIdentifierSchema, type AdtEvent } from './adt-event.ts';

const DAY_MS = 86_400_000;

/** One patient's current (or recently ended) stay as the census knows it. */
export const StaySchema = z.object({
  patient: SourcePatientRefSchema,
  status: z.enum(['admitted', 'discharged']),
  location: BedLocationSchema,
  /** Where the patient lay before the last transfer: what a cancelled transfer (A12) restores. */
  previousLocation: BedLocationSchema.optional(),
  visitNumber: z.string().optional(),
  name: z.string().optional(),
  sex: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: z.string().optional(),
  /** The record's identifiers as its feed gave them: the worklist links stays of one person by them. */
  identifiers: z.array(StayIdentifierSchema).optional(),
  attending: z.object({ id: z.string().optional(), display: z.string().optional() }).optional(),
  admittedAt: z.string().optional(),
  dischargedAt: z.string().optional(),
  diagnosis: z.string().optional(),
  allergies: z.boolean().optional(),
  /** Which feed told us last: the HIS's pushes or the CDR's encounters. */
  via: z.enum(['hl7v2', 'fhir', 'broker']).default('hl7v2'),
});
export type Stay = z.infer<typeof StaySchema>;

/** Stays by system record (one current stay per patient record). */
export const CensusSchema = z.object({ stays: z.record(z.string(), StaySchema) });
export type Census = z.infer<typeof CensusSchema>;

export const emptyCensus = (): Census => ({ stays: {} });

export const stayKey = (ref: SourcePatientRef): string => `${ref.sourceId}\u0000${ref.sourcePatientId}`;

/** What an event changed, so callers can prefetch arrivals and forget cancellations. */
export type CensusChange = { kind: 'arrived' | 'moved' | 'updated' | 'discharged' | 'returned' | 'removed' | 'ignored'; key: string };

/** The facts of an event that every trigger carries over onto the stay. */
function facts(event: AdtEvent): Partial<Stay> {
  return {
    ...(event.visitNumber ? { visitNumber: event.visitNumber } : {}),
    ...(event.name ? { name: event.name } : {}),
    ...(event.sex ? { sex: event.sex } : {}),
    ...(event.birthDate ? { birthDate: event.birthDate } : {}),
    ...(event.identifiers ? { identifiers: event.identifiers } : {}),
    ...(event.attending ? { attending: event.attending } : {}),
    ...(event.admittedAt ? { admittedAt: event.admittedAt } : {}),
    ...(event.diagnosis ? { diagnosis: event.diagnosis } : {}),
    ...(event.allergies !== undefined ? { allergies: event.allergies } : {}),
  };
}

const sameLocation = (a: Stay['location'], b: Stay['location']): boolean => a.ward === b.ward && a.room === b.room && a.bed === b.bed;

/**
 * The census state machine: one ADT event in, the next census out (the input is not changed).
 * A01/A04 admit (or re-admit), A02 moves and remembers the old bed, A03 discharges (the stay is
 * kept for the care window), A08 updates (and admits a patient the census has not heard of when
 * it names a ward and no discharge), A11 removes the stay, A12 restores the previous bed, A13
 * returns a discharged patient to the ward. Events for a stay the census does not hold are
 * ignored, except admissions and updates that place a patient.
 */
export function applyAdtEvent(census: Census, event: AdtEvent, via: Stay['via'] = 'hl7v2'): { census: Census; change: CensusChange } {
  const key = stayKey(event.patient);
  const current = census.stays[key];
  const put = (stay: Stay | undefined, kind: CensusChange['kind']) => {
    const stays = { ...census.stays };
    if (stay) stays[key] = stay;
    else delete stays[key];
    return { census: { stays }, change: { kind, key } };
  };
  const ignored = { census, change: { kind: 'ignored' as const, key } };
  const admitted = (location: Stay['location'], base: Partial<Stay> = {}): Stay => ({
    ...base,
    ...facts(event),
    patient: event.patient,
    status: 'admitted',
    location,
    via,
    ...(event.admittedAt || base.admittedAt || event.occurredAt
      ? { admittedAt: event.admittedAt ?? base.admittedAt ?? event.occurredAt }
      : {}),
  });

  switch (event.trigger) {
    case 'A01':
    case 'A04': {
      if (!event.location) return ignored;
      // A new visit starts afresh; a repeated admit of the same visit only updates it.
      const sameVisit = current && current.status === 'admitted' && (!event.visitNumber || current.visitNumber === event.visitNumber);
      const { previousLocation: _p, dischargedAt: _d, ...rest } = current ?? ({} as Partial<Stay>);
      return put(admitted(event.location, sameVisit ? rest : {}), sameVisit ? 'updated' : 'arrived');
    }
    case 'A02': {
      if (!event.location) return ignored;
      if (!current) return put(admitted(event.location), 'arrived');
      if (sameLocation(current.location, event.location)) return put({ ...current, ...facts(event), via }, 'updated');
      return put(
        { ...current, ...facts(event), via, status: 'admitted', location: event.location, previousLocation: current.location },
        'moved',
      );
    }
    case 'A03': {
      if (!current) return ignored;
      const dischargedAt = event.dischargedAt ?? event.occurredAt ?? new Date().toISOString();
      return put({ ...current, ...facts(event), via, status: 'discharged', dischargedAt }, 'discharged');
    }
    case 'A08': {
      if (!current) return event.location && !event.dischargedAt ? put(admitted(event.location), 'arrived') : ignored;
      return put({ ...current, ...facts(event), via, ...(event.location ? { location: event.location } : {}) }, 'updated');
    }
    case 'A11':
      return current ? put(undefined, 'removed') : ignored;
    case 'A12': {
      if (!current?.previousLocation) return ignored;
      const { previousLocation, ...rest } = current;
      return put({ ...rest, via, location: previousLocation }, 'moved');
    }
    case 'A13': {
      if (!current || current.status !== 'discharged') return ignored;
      const { dischargedAt: _d, ...rest } = current;
      return put({ ...rest, ...facts(event), via, status: 'admitted' }, 'returned');
    }
  }
}

/** Stays discharged longer ago than the care window: their patients leave the census (and the prefetched cache). */
export function expiredStays(census: Census, now: number, careWindowDays: number): Stay[] {
  return Object.values(census.stays).filter(
    (s) => s.status === 'discharged' && now - Date.parse(s.dischargedAt ?? '') > careWindowDays * DAY_MS,
  );
}

export function withoutStays(census: Census, gone: readonly Stay[]): Census {
  const stays = { ...census.stays };
  for (const stay of gone) delete stays[stayKey(stay.patient)];
  return { stays };
}
