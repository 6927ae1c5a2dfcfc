import { SourceError } from '../../../adapters/source-error.ts';
import type { SourceErrorCode } from '../../../shared/domain/source.ts';
import type { AdtEvent } from './adt-event.ts';

/** Why a census source gave no usable answer: the adapter's error code (timeout, AE/AR, malformed …) and the log text. */
export interface CensusFailure {
  sourceId: string;
  code: SourceErrorCode | 'unknown';
  detail: string;
}

/**
 * Asks census sources for a user's wards and own patients, as census events. `answeredBy`
 * names the sources whose answer was whole: only their stays that the answer leaves out are
 * taken as ended. A failed source is in `failures` and its stays stay as they were.
 */
export type CensusQuery = (who: { wards: readonly string[]; practitionerId?: string }, signal: AbortSignal) => Promise<CensusAnswers>;

export interface CensusAnswers {
  /** Each event with the feed it came by (the stay remembers which feed told it last). */
  events: { event: AdtEvent; via: 'fhir' | 'hl7v2' }[];
  answeredBy: string[];
  failures: CensusFailure[];
}

export function censusFailure(sourceId: string, error: unknown): CensusFailure {
  if (error instanceof SourceError) return { sourceId, code: error.code, detail: error.message };
  return { sourceId, code: 'unknown', detail: error instanceof Error ? error.message : String(error) };
}

/** Several census queries (FHIR CDRs, HL7 v2 HISs) asked at once, as one. */
export function combineCensusQueries(queries: readonly CensusQuery[]): CensusQuery | undefined {
  if (queries.length === 0) return undefined;
  if (queries.length === 1) return queries[0];
  return async (who, signal) => {
    const answers = await Promise.all(queries.map((q) => q(who, signal)));
    return {
      events: answers.flatMap((a) => a.events),
      answeredBy: answers.flatMap((a) => a.answeredBy),
      failures: answers.flatMap((a) => a.failures),
    };
  };
}
