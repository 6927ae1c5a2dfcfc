import type { FhirSourceAdapter } from '../../../adapters/fhir/index.ts';
import type { Encounter, Patient } from '../../../shared/domain/fhir.ts';
import type { AdtEvent } from './adt-event.ts';
import { adtEventFromEncounter } from './census-keeper.ts';

/** Asks census sources for a user's wards and own patients, as census events. */
export type CensusQuery = (who: { wards: readonly string[]; practitionerId?: string }, signal: AbortSignal) => Promise<{ events: AdtEvent[]; answeredBy: string[] }>;

/**
 * The census from CDRs that speak FHIR: `Encounter?location=…&status=in-progress` (and
 * `participant=` for the attending's patients elsewhere), each Encounter with its Patient. A CDR
 * that fails is left out (its stays stay as they were); `answeredBy` names those that answered.
 */
export function fhirCensusQuery(sources: readonly { id: string; adapter: Pick<FhirSourceAdapter, 'fetchCensus'> }[]): CensusQuery {
  return async (who, signal) => {
    const answers = await Promise.allSettled(sources.map(async (s) => ({ id: s.id, found: await s.adapter.fetchCensus(who.practitionerId ? { wards: who.wards, practitionerId: who.practitionerId } : { wards: who.wards }, { signal }) })));
    const events: AdtEvent[] = [];
    const answeredBy: string[] = [];
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      answeredBy.push(answer.value.id);
      const patients = new Map<string, Patient>();
      for (const { resource } of answer.value.found) if (resource.resourceType === 'Patient' && resource.id) patients.set(resource.id, resource);
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
