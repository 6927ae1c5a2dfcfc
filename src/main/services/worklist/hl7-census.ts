import type { Hl7v2SourceAdapter } from '../../../adapters/hl7v2/index.ts';
import { adtEventFromSegments, type AdtEvent } from './adt-event.ts';
import { censusFailure, type CensusAnswers, type CensusFailure, type CensusQuery } from './census-query.ts';

/**
 * The census from HISs that answer IHE ITI-22 (QBP^ZV1): each inpatient of the answer enters the
 * census as an A08 (placed or updated where the PV1 says), under the same system record as the
 * HIS's pushed ADT. A HIS that fails (timeout, MSA/QAK AE or AR, a malformed answer) is in
 * `failures` and its stays are left as they were; one whose answer says more patients remain is
 * not in `answeredBy`, so nobody is taken as discharged from a partial list.
 */
export function hl7CensusQuery(sources: readonly { id: string; adapter: Pick<Hl7v2SourceAdapter, 'fetchCensus'> }[]): CensusQuery {
  return async (who, signal) => {
    const answers = await Promise.allSettled(
      sources.map(async (s) => ({
        id: s.id,
        answer: await s.adapter.fetchCensus(
          who.practitionerId ? { wards: who.wards, practitionerId: who.practitionerId } : { wards: who.wards },
          { signal },
        ),
      })),
    );
    const events: CensusAnswers['events'] = [];
    const answeredBy: string[] = [];
    const failures: CensusFailure[] = [];
    answers.forEach((settled, i) => {
      const sourceId = sources[i]!.id;
      if (settled.status === 'rejected') {
        failures.push(censusFailure(sourceId, settled.reason));
        return;
      }
      const batch: AdtEvent[] = [];
      try {
        for (const inpatient of settled.value.answer.inpatients) {
          const event = adtEventFromSegments(
            'A08',
            { msh: inpatient.msh, pid: inpatient.pid, pv1: inpatient.pv1, pv2: inpatient.pv2, dg1: inpatient.dg1, al1: inpatient.al1 },
            { sourceId, sourcePatientId: inpatient.sourcePatientId },
          );
          // A census answer lists who is there now: a PV1 with a discharge time is not an inpatient.
          if (event.location && !event.dischargedAt) batch.push(event);
        }
      } catch (error) {
        // An answer whose facts break the event schema is as unusable as a malformed frame.
        failures.push({ sourceId, code: 'protocol', detail: error instanceof Error ? error.message : String(error) });
        return;
      }
      events.push(...batch.map((event) => ({ event, via: 'hl7v2' as const })));
      if (settled.value.answer.complete) answeredBy.push(sourceId);
    });
    return { events, answeredBy, failures };
  };
}
