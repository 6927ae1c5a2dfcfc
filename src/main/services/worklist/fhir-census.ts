import type { FhirSourceAdapter } from '../../../adapters/fhir/index.ts';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { Encounter, Patient } from '../../../shared/domain/fhir.ts';
import type { AdtEvent } from './adt-event.ts';
import { adtEventFromEncounter } from './census-keeper.ts';

/** Asks census sources for a user's wards and own patients, as census events. */
export type CensusQuery = (
  who: { wards: readonly string[]; practitionerId?: string },
  signal: AbortSignal,
) => Promise<{ events: AdtEvent[]; answeredBy: string[] }>;

/**
 * The census from CDRs that speak FHIR: `Encounter?location=…&status=in-progress` (and
 * `participant=` for the attending's patients elsewhere), each Encounter with its Patient. A CDR
 * that fails is left out (its stays stay as they were); `answeredBy` names those that answered.
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
    const events: AdtEvent[] = [];
    const answeredBy: string[] = [];
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      answeredBy.push(answer.value.id);
      const patients = new Map<string, Patient>();
      for (const { resource } of answer.value.found)
        if (resource.resourceType === 'Patient' && resource.id) patients.set(resource.id, resource);
      for (const { resource } of answer.value.found) {
        if (resource.resourceType !== 'Encounter') continue;
        const encounter = resource as Encounter;
        const patientId = encounter.subject?.reference?.split('/').pop();
        if (!patientId) continue;
        const event = adtEventFromEncounter(encounter, { sourceId: answer.value.id, sourcePatientId: patientId }, patients.get(patientId));
        if (event) events.push(event);
      }
    }
    return { events, answeredBy };
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
