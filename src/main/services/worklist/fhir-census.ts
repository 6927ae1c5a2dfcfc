import type { FhirSourceAdapter } from '../../../adapters/fhir/index.ts';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { Encounter, Patient } from '../../../shared/domain/fhir.ts';
import { adtEventFromEncounter } from './census-keeper.ts';
import { censusFailure, type CensusAnswers, type CensusFailure, type CensusQuery } from './census-query.ts';

/**
 * Where the CDR's own resources put a ward: ward Locations by the identifier the user's ward
 * claims name, their rooms and beds by `partOf`, and patients by the ward Group listing them.
 */
function wardPlaces(
  found: readonly SourcedResource[],
  wards: readonly string[],
): { place(reference: string): string | undefined; groupWard(patientId: string): string | undefined } {
  const wanted = new Set(wards);
  const parents = new Map<string, string>();
  const wardOf = new Map<string, string>();
  const memberWard = new Map<string, string>();
  for (const { resource } of found) {
    if (resource.resourceType === 'Location' && resource.id) {
      const ref = `Location/${resource.id}`;
      const code = resource.identifier?.find((i) => i.value && wanted.has(i.value))?.value;
      if (code) wardOf.set(ref, code);
      if (resource.partOf?.reference) parents.set(ref, resource.partOf.reference);
    }
    if (resource.resourceType === 'Group') {
      const code = resource.identifier?.find((i) => i.value && wanted.has(i.value))?.value;
      if (!code) continue;
      for (const member of resource.member ?? [])
        if (!member.inactive && member.entity.reference?.startsWith('Patient/')) memberWard.set(member.entity.reference.slice(8), code);
    }
  }
  return {
    place(reference) {
      // Bed → room → ward: a few steps at most; the bound stops a partOf cycle.
      let at: string | undefined = reference;
      for (let depth = 0; at && depth < 8; depth++) {
        const ward = wardOf.get(at);
        if (ward) return ward;
        at = parents.get(at);
      }
      return undefined;
    },
    groupWard: (patientId) => memberWard.get(patientId),
  };
}

/**
 * The census from CDRs that speak FHIR, in the form each is configured for (the adapter asks
 * `Encounter?location=…&status=in-progress`, with the ward's child Locations, or the ward's Group
 * and its members' Encounters; `participant=` for the attending's patients elsewhere), each
 * Encounter with its Patient. A CDR that fails is in `failures`, and its stays stay as they were.
 */
export function fhirCensusQuery(sources: readonly { id: string; adapter: Pick<FhirSourceAdapter, 'fetchCensus'> }[]): CensusQuery {
  return async (who, signal) => {
    const answers = await Promise.allSettled(
      sources.map(async (s) => ({
        id: s.id,
        found: await s.adapter.fetchCensus(
          who.practitionerId ? { wards: who.wards, practitionerId: who.practitionerId } : { wards: who.wards },
          { signal },
        ),
      })),
    );
    const events: CensusAnswers['events'] = [];
    const answeredBy: string[] = [];
    const failures: CensusFailure[] = [];
    answers.forEach((answer, i) => {
      if (answer.status !== 'fulfilled') {
        failures.push(censusFailure(sources[i]!.id, answer.reason));
        return;
      }
      answeredBy.push(answer.value.id);
      const places = wardPlaces(answer.value.found, who.wards);
      const patients = new Map<string, Patient>();
      for (const { resource } of answer.value.found)
        if (resource.resourceType === 'Patient' && resource.id) patients.set(resource.id, resource);
      for (const { resource } of answer.value.found) {
        if (resource.resourceType !== 'Encounter') continue;
        const encounter = resource as Encounter;
        const patientId = encounter.subject?.reference?.split('/').pop();
        if (!patientId) continue;
        const groupWard = places.groupWard(patientId);
        const event = adtEventFromEncounter(encounter, { sourceId: answer.value.id, sourcePatientId: patientId }, patients.get(patientId), {
          place: places.place,
          ...(groupWard ? { fallbackWard: groupWard } : {}),
        });
        if (event) events.push({ event, via: 'fhir' });
      }
    });
    return { events, answeredBy, failures };
  };
}

/** New results of many patients at once, per system record; `answeredBy` names the sources that answered. */
export type ResultsQuery = (
  refs: readonly SourcePatientRef[],
  since: string | undefined,
  signal: AbortSignal,
) => Promise<{ byRef: Map<string, SourcedResource[]>; answeredBy: string[] }>;

const refKeyOf = (ref: SourcePatientRef): string => `${ref.sourceId}/${ref.sourcePatientId}`;

/**
 * A ward's results from the CDRs in one search per 50 patients (`Observation?patient=a,b,…&date=ge…`)
 * instead of one record fetch per patient: what completes a worklist in about one request's time.
 */
export function fhirResultsQuery(sources: readonly { id: string; adapter: Pick<FhirSourceAdapter, 'fetchResults'> }[]): ResultsQuery {
  return async (refs, since, signal) => {
    const byRef = new Map<string, SourcedResource[]>();
    const answeredBy: string[] = [];
    await Promise.all(
      sources.map(async (source) => {
        const ids = refs.filter((r) => r.sourceId === source.id).map((r) => r.sourcePatientId);
        if (ids.length === 0) return;
        try {
          const found = await source.adapter.fetchResults(ids, since, { signal });
          answeredBy.push(source.id);
          for (const id of ids) byRef.set(refKeyOf({ sourceId: source.id, sourcePatientId: id }), []);
          for (const item of found) {
            const r = item.resource as { subject?: { reference?: string }; patient?: { reference?: string } };
            const patientId = (r.subject ?? r.patient)?.reference?.split('/').pop();
            if (patientId) byRef.get(refKeyOf({ sourceId: source.id, sourcePatientId: patientId }))?.push(item);
          }
        } catch {
          // That CDR did not answer: its patients stay as the cache has them, marked pending.
        }
      }),
    );
    return { byRef, answeredBy };
  };
}
