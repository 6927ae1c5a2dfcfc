import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { Patient } from '../../../shared/domain/fhir.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { CacheStore } from '../cache/index.ts';
import { adtEventFromFrame, createCensusKeeper, type CensusKeeper } from './census-keeper.ts';
import { followCensus } from './census-prefetch.ts';
import { createLastViewed, createMemoryLastViewed } from './last-viewed.ts';
import { createWorklist, type Worklist } from './worklist.ts';
import type { ResultJudgePort } from './result-judge.ts';
import { createChangeSignal, type ChangeSignalOptions, type WorklistChangeListener } from './change-signal.ts';
import { adtEventsFromFhirMessage } from './fhir-adt.ts';
import type { ResultsQuery } from './fhir-census.ts';
import type { CensusQuery } from './census-query.ts';
import { stayKey } from './census.ts';
import { patientOfStay, type LinkPersonsPort } from './persons.ts';

/** Patients whose whole record is asked live at once (sources without a ward results query). */
const LIVE_CONCURRENCY = 6;

async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Results a listing fetched are written to the cache after the listing has answered (its rows
 * are built from them in memory): 40 patients are 40 durable transactions, which on a loaded
 * machine cost more than the listing's network round trips. The next listing waits for them.
 */
function writeBehind(cache: CacheStore | undefined, log: (line: string) => void) {
  let writing: Promise<void> = Promise.resolve();
  return {
    keep(writes: readonly { ref: SourcePatientRef; found: readonly SourcedResource[] }[]): void {
      if (!cache || writes.length === 0) return;
      writing = writing
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(async () => {
          for (const { ref, found } of writes) {
            // Upserted beside the record: a results search is not the whole record, so nothing is replaced.
            await cache.putRecords(cacheKeyOf(ref), ref.sourceId, found);
          }
        })
        .catch((error: unknown) =>
          log(`worklist: fetched results could not be kept: ${error instanceof Error ? error.message : String(error)}`),
        );
    },
    settled: (): Promise<void> => writing,
  };
}

/** Cached records (blind index) sharing a 身份证 with the given Patients. */
function samePersonIn(cache: CacheStore, nationalIds: (patient: Patient) => string[]) {
  return async (patients: readonly Patient[]): Promise<SourcePatientRef[]> => {
    const values = [...new Set(patients.flatMap(nationalIds))];
    const keys = new Set((await Promise.all(values.map((v) => cache.findPatientsByIdentifier(v)))).flat());
    return [...keys].flatMap((key) => {
      const at = key.indexOf('/');
      return at > 0 ? [{ sourceId: key.slice(0, at), sourcePatientId: key.slice(at + 1) }] : [];
    });
  };
}

/** The cache key of one system record, as the workstation's record cache names it. */
const cacheKeyOf = (ref: SourcePatientRef): string => `${ref.sourceId}/${ref.sourcePatientId}`;

export interface WardWorklistOptions {
  cache?: CacheStore;
  careWindowDays: number;
  /** The workstation's cache-first load of one person (fetches live, stores what answers). */
  loadRecord(refs: readonly SourcePatientRef[], signal: AbortSignal): Promise<{ resources: SourcedResource[] }>;
  /** Fetches one patient's recent images through the DICOMweb proxy (the prefetch's own walk). */
  prefetchImages?(refs: readonly SourcePatientRef[], resources: readonly SourcedResource[], signal: AbortSignal): Promise<void>;
  judgeResults?: ResultJudgePort;
  /** Links the stays' records into people as search does: one row per person. */
  linkPersons?: LinkPersonsPort;
  /** How census changes and stored results are coalesced into worklist signals (tests shorten or fake the timers). */
  changeSignal?: ChangeSignalOptions;
  /** The census sources asked live (FHIR CDRs: fhirCensusQuery; HISs answering ITI-22: hl7CensusQuery; both: combineCensusQueries). */
  censusQuery?: CensusQuery;
  /** Many patients' results in one search per source (FHIR CDRs: fhirResultsQuery); other sources' patients are loaded one by one. */
  resultsQuery?: ResultsQuery;
  /** Sources the results query covers. */
  resultsSources?: readonly string[];
  /** A Patient's 身份证 numbers as the identity service classifies identifiers: how the allergy flag finds the person's other cached records. */
  nationalIds?: (patient: Patient) => string[];
  /**
   * Every system record of the person a search by this 身份证 links to `ref` (a live search):
   * the arrival prefetch fetches the whole person, so the CDR's allergy of a patient the HIS
   * admitted is in the cache before anyone opens them.
   */
  wholePerson?(nationalId: string, ref: SourcePatientRef, signal: AbortSignal): Promise<SourcePatientRef[]>;
  /** Fetch arriving patients ahead for outages (needs the cache). */
  prefetch: boolean;
  fallbackCharset?: string;
  clock?: () => number;
  log?: (line: string) => void;
}

export interface WardWorklist {
  census: CensusKeeper;
  /** The rows, and a coalesced signal whenever they may have changed (census or results of a patient on it). */
  worklist: Worklist & { onChanged(listener: WorklistChangeListener): () => void };
  /** Feed for the inbound MLLP listener: a stored ADT frame for this record updates the census. */
  onStoredFrame(frame: Uint8Array, patients: readonly SourcePatientRef[], messageType: string): void;
  /** Feed for the broker: a stored FHIR ADT message (Encounters) updates the census. */
  onFhirAdt(body: Uint8Array, patients: readonly SourcePatientRef[]): void;
  /** Any push stored for this record (results, documents …): the worklist is told when the patient is on it. */
  onRecordStored(ref: SourcePatientRef): void;
  /** Prunes discharged patients past the care window (and their cache) and prefetches the admitted. */
  sweep(): Promise<{ prefetched: number; purged: number }>;
  stop(): void;
}

/** The census, last looks, worklist and census-driven prefetch of one workstation, composed once. */
export function composeWardWorklist(options: WardWorklistOptions): WardWorklist {
  const log = options.log ?? (() => {});
  const { cache } = options;
  const unreadable = (detail: string) => log(`worklist: kept state unreadable, starting afresh (${detail})`);
  const census = createCensusKeeper(cache, unreadable);
  const written = writeBehind(cache, log);
  const lastViewed = cache ? createLastViewed(cache, unreadable) : createMemoryLastViewed();
  const cached = async (ref: SourcePatientRef): Promise<SourcedResource[]> => {
    if (!cache || !(await cache.hasPatient(cacheKeyOf(ref)))) return [];
    return (await cache.getRecords(cacheKeyOf(ref))).records;
  };
  const signal = createChangeSignal(options.changeSignal);
  census.subscribe(() => signal.note('census'));
  const worklist = createWorklist({
    census,
    lastViewed,
    careWindowDays: options.careWindowDays,
    ...(options.judgeResults ? { judgeResults: options.judgeResults } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.censusQuery ? { censusQuery: options.censusQuery } : {}),
    ...(options.linkPersons ? { linkPersons: options.linkPersons } : {}),
    log,
    records: {
      cached,
      settled: () => written.settled(),
      ...(cache && options.nationalIds ? { samePerson: samePersonIn(cache, options.nationalIds) } : {}),
      async refresh(refs, since, signal) {
        const pending = new Map<string, string[]>();
        const fresh = new Map<string, SourcedResource[]>();
        const byQuery = refs.filter((r) => options.resultsQuery && options.resultsSources?.includes(r.sourceId));
        const oneByOne = refs.filter((r) => !byQuery.includes(r));
        if (byQuery.length > 0 && options.resultsQuery) {
          const { byRef, answeredBy } = await options.resultsQuery(byQuery, since, signal);
          const writes: { ref: SourcePatientRef; found: SourcedResource[] }[] = [];
          for (const ref of byQuery) {
            const found = byRef.get(cacheKeyOf(ref));
            if (!answeredBy.includes(ref.sourceId) || !found) {
              pending.set(stayKey(ref), [ref.sourceId]);
              continue;
            }
            if (found.length > 0) writes.push({ ref, found });
            fresh.set(stayKey(ref), found);
            pending.set(stayKey(ref), []);
          }
          written.keep(writes);
        }
        await mapLimited(oneByOne, LIVE_CONCURRENCY, async (ref) => {
          const started = new Date().toISOString();
          try {
            const { resources } = await options.loadRecord([ref], signal);
            const answered = resources.some((r) => r.provenance.sourceId === ref.sourceId && r.provenance.fetchedAt >= started);
            pending.set(stayKey(ref), answered ? [] : [ref.sourceId]);
          } catch {
            pending.set(stayKey(ref), [ref.sourceId]);
          }
        });
        return { pending, fresh };
      },
    },
  });
  /** The stay's record with the person's other systems' records a search links to it (the stay's alone when none). */
  const wholePersonOf = async (ref: SourcePatientRef, signal: AbortSignal): Promise<SourcePatientRef[]> => {
    const stay = census.stays().find((s) => stayKey(s.patient) === stayKey(ref));
    const nationalId = stay && options.nationalIds?.(patientOfStay(stay))[0];
    if (!nationalId || !options.wholePerson) return [ref];
    try {
      const more = await options.wholePerson(nationalId, ref, signal);
      return [ref, ...more.filter((r) => stayKey(r) !== stayKey(ref))];
    } catch (error) {
      log(`worklist: the whole person could not be found for a prefetch: ${error instanceof Error ? error.message : String(error)}`);
      return [ref];
    }
  };
  const follower =
    cache && options.prefetch
      ? followCensus({
          census,
          careWindowDays: options.careWindowDays,
          ...(options.clock ? { clock: options.clock } : {}),
          log,
          async prefetch(ref, abort) {
            const refs = await wholePersonOf(ref, abort);
            const { resources } = await options.loadRecord(refs, abort);
            // The row's flags (an allergy only another system held) may have changed: the list reads it again.
            signal.note('results');
            await options.prefetchImages?.([ref], resources, abort);
          },
          async purge(ref) {
            await cache.purgePatient(cacheKeyOf(ref));
          },
        })
      : undefined;
  return {
    census,
    worklist: { ...worklist, onChanged: (listener) => signal.subscribe(listener) },
    onStoredFrame(frame, patients, messageType) {
      if (!messageType.startsWith('ADT') || patients.length !== 1) return;
      try {
        const event = adtEventFromFrame(frame, patients[0]!, options.fallbackCharset);
        if (event) census.accept(event, 'hl7v2');
      } catch (error) {
        log(`worklist: an ADT message could not update the census: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    onFhirAdt(body, patients) {
      const { events, skipped } = adtEventsFromFhirMessage(body, patients);
      for (const reason of skipped) log(`worklist: a FHIR ADT message could not update the census: ${reason}`);
      try {
        if (events.length > 0) census.acceptAll(events, 'broker');
      } catch (error) {
        log(`worklist: a FHIR ADT message could not update the census: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    onRecordStored(ref) {
      const key = stayKey(ref);
      if (census.stays().some((stay) => stayKey(stay.patient) === key)) signal.note('results');
    },
    sweep: async () =>
      follower ? follower.sweep() : { prefetched: 0, purged: census.prune((options.clock ?? Date.now)(), options.careWindowDays).length },
    stop() {
      follower?.stop();
      signal.stop();
    },
  };
}
