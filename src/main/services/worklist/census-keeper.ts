import type { Encounter, Patient } from '../../../shared/domain/fhir.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { readHl7Message } from '../../../adapters/hl7v2/index.ts';
import { adtEventFromMessage, AdtEventSchema, type AdtEvent, type BedLocation } from './adt-event.ts';
import {
  applyAdtEvent,
  CensusSchema,
  emptyCensus,
  expiredStays,
  stayKey,
  withoutStays,
  type Census,
  type CensusChange,
  type Stay,
} from './census.ts';
import { sealedState, type SealedStateStore } from './sealed-state.ts';

const PURPOSE = 'huizhen-worklist/census/v1';

export type CensusListener = (change: CensusChange, stay: Stay | undefined) => void;

/** The ward census of this workstation: fed by every inbound path, read by the worklist and prefetch. */
export interface CensusKeeper {
  /**
   * The one door for ADT events, whatever carried them (MLLP push, the broker, a FHIR read).
   * The event is checked against the schema; an invalid one throws and changes nothing.
   */
  accept(event: AdtEvent, via?: Stay['via']): CensusChange;
  /** Several events in order, kept in one write (a census source's whole answer). */
  acceptAll(events: readonly AdtEvent[], via?: Stay['via']): CensusChange[];
  /** Events of several feeds in order, each with the feed that carried it, kept in one write (the census sources' answers). */
  acceptEach(items: readonly { event: AdtEvent; via: Stay['via'] }[]): CensusChange[];
  stays(): Stay[];
  /** Drops stays discharged longer ago than the care window; returns them (their cache goes too). */
  prune(now: number, careWindowDays: number): Stay[];
  subscribe(listener: CensusListener): () => void;
}

/** Kept encrypted in the cache when one is given (it survives restarts and outages), else in memory. */
export function createCensusKeeper(store?: SealedStateStore, onUnreadable?: (detail: string) => void): CensusKeeper {
  const sealed = store ? sealedState(store, PURPOSE, CensusSchema, emptyCensus, onUnreadable) : undefined;
  let census: Census = sealed ? sealed.read() : emptyCensus();
  const listeners = new Set<CensusListener>();
  const commit = (next: (current: Census) => Census): Census => (census = sealed ? sealed.update(next) : next(census));
  return {
    accept(input, via = 'hl7v2') {
      return this.acceptAll([input], via)[0]!;
    },
    acceptAll(inputs, via = 'hl7v2') {
      return this.acceptEach(inputs.map((event) => ({ event, via })));
    },
    acceptEach(inputs) {
      const items = inputs.map(({ event, via }) => ({ event: AdtEventSchema.parse(event), via }));
      let changes: CensusChange[] = [];
      commit((current) => {
        changes = [];
        let next = current;
        for (const { event, via } of items) {
          const result = applyAdtEvent(next, event, via);
          changes.push(result.change);
          next = result.census;
        }
        return changes.some((c) => c.kind !== 'ignored') ? next : current;
      });
      for (const change of changes)
        if (change.kind !== 'ignored') for (const listener of listeners) listener(change, census.stays[change.key]);
      return changes;
    },
    stays: () => Object.values(census.stays),
    prune(now, careWindowDays) {
      const gone = expiredStays(census, now, careWindowDays);
      if (gone.length > 0) commit((current) => withoutStays(current, gone));
      for (const stay of gone) for (const listener of listeners) listener({ kind: 'removed', key: stayKey(stay.patient) }, undefined);
      return gone;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** An ADT frame the inbound listener stored for `ref`: its census facts, or undefined when it carries none. */
export function adtEventFromFrame(frame: Uint8Array, ref: SourcePatientRef, fallbackCharset?: string): AdtEvent | undefined {
  const message = readHl7Message(frame, fallbackCharset ? { fallbackCharset } : {});
  return adtEventFromMessage(message, ref);
}

/** How the census query's own resources place an Encounter's locations (child Locations, the ward Group). */
export interface EncounterPlaces {
  /** The ward code of a `Location/id` reference, following `partOf` to the ward. */
  place?(reference: string): string | undefined;
  /** The ward whose Group lists the patient, when no location of the Encounter names one. */
  fallbackWard?: string;
}

const bedOf = (text: string): string | undefined => /(\d+)\s*床/.exec(text)?.[1] ?? /\bbed\s+(\w+)/i.exec(text)?.[1];
const roomOf = (text: string): string | undefined => /(\d+)\s*室/.exec(text)?.[1];

/** A ward location of a FHIR Encounter: the ward code (identifier, or the referenced Location's id), room and bed from the display. */
function locationOf(encounter: Encounter, places: EncounterPlaces = {}): BedLocation | undefined {
  const entries = encounter.location ?? [];
  const at = (ward: string, display: string): BedLocation => {
    const bed = bedOf(display);
    const room = roomOf(display);
    return { ward, ...(room ? { room } : {}), ...(bed ? { bed } : {}) };
  };
  // The most specific place first: the last resolvable entry is usually the bed.
  const displays = entries.map((e) => e.location.display ?? '').join(' ');
  for (const { location } of entries) {
    const ward = location.reference ? places.place?.(location.reference) : undefined;
    if (ward) return at(ward, displays);
  }
  if (places.fallbackWard) return at(places.fallbackWard, displays);
  for (const { location } of entries) {
    const ward =
      location.identifier?.value ??
      location.reference
        ?.split('/')
        .pop()
        ?.replace(/^ward-/, '');
    if (!ward) continue;
    return at(ward, location.display ?? '');
  }
  return undefined;
}

function identifiersOf(patient: Patient): Pick<AdtEvent, 'identifiers'> {
  const identifiers = (patient.identifier ?? []).flatMap((i) => {
    const type = i.type?.coding?.find((c) => c.code)?.code;
    return i.value && i.value.length <= 100
      ? [{ value: i.value, ...(i.system ? { system: i.system.slice(0, 300) } : {}), ...(type && type.length <= 20 ? { type } : {}) }]
      : [];
  });
  return identifiers.length > 0 ? { identifiers: identifiers.slice(0, 10) } : {};
}

function patientFacts(patient: Patient | undefined): Pick<AdtEvent, 'name' | 'sex' | 'birthDate' | 'identifiers'> {
  if (!patient) return {};
  const name = patient.name?.[0];
  const text =
    name?.text ??
    [...(name?.family ? [name.family] : []), ...(name?.given ?? [])].join(/\p{Script=Han}/u.test(name?.family ?? '') ? '' : ' ');
  return {
    ...(text ? { name: text } : {}),
    ...(patient.gender ? { sex: patient.gender } : {}),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    ...identifiersOf(patient),
  };
}

/**
 * A CDR's Encounter as a census event: in progress on a ward = the patient is there (A08
 * places or updates), finished = discharged (A03), cancelled / entered in error = A11.
 */
export function adtEventFromEncounter(
  encounter: Encounter,
  ref: SourcePatientRef,
  patient?: Patient,
  places?: EncounterPlaces,
): AdtEvent | undefined {
  const location = locationOf(encounter, places);
  const attending = encounter.participant?.find((p) => p.individual)?.individual;
  const trigger =
    encounter.status === 'in-progress' || encounter.status === 'arrived' || encounter.status === 'onleave'
      ? 'A08'
      : encounter.status === 'finished'
        ? 'A03'
        : encounter.status === 'cancelled' || encounter.status === 'entered-in-error'
          ? 'A11'
          : undefined;
  if (!trigger || (trigger === 'A08' && !location)) return undefined;
  const diagnosis =
    encounter.reasonCode?.[0]?.text ?? encounter.reasonCode?.[0]?.coding?.[0]?.display ?? encounter.diagnosis?.[0]?.condition?.display;
  return AdtEventSchema.parse({
    trigger,
    patient: ref,
    ...patientFacts(patient),
    ...(encounter.identifier?.[0]?.value
      ? { visitNumber: encounter.identifier[0].value }
      : encounter.id
        ? { visitNumber: encounter.id }
        : {}),
    ...(location ? { location } : {}),
    ...(attending
      ? {
          attending: {
            ...(attending.identifier?.value
              ? { id: attending.identifier.value }
              : attending.reference
                ? { id: attending.reference.split('/').pop() }
                : {}),
            ...(attending.display ? { display: attending.display } : {}),
          },
        }
      : {}),
    ...(encounter.period?.start ? { admittedAt: encounter.period.start } : {}),
    ...(encounter.period?.end ? { dischargedAt: encounter.period.end } : {}),
    ...(diagnosis ? { diagnosis } : {}),
  });
}
