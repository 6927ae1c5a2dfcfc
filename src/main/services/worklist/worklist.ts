import type { Encounter, Observation, Patient, Resource } from '../../../shared/domain/fhir.ts';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { User } from '../../../shared/domain/user.ts';
import type { WorklistResponse, WorklistRow } from '../../../shared/api/worklist.ts';
import { careRelationship } from '../access/index.ts';
import { stayKey, type Stay } from './census.ts';
import type { CensusKeeper } from './census-keeper.ts';
import type { CensusAnswers, CensusFailure, CensusQuery } from './census-query.ts';
import type { AdtEvent } from './adt-event.ts';
import type { LastViewed } from './last-viewed.ts';
import { resultsSince } from './new-results.ts';
import { sourceJudgedResults, type ResultJudgePort } from './result-judge.ts';
import { groupStays, patientOfStay, type LinkPersonsPort, type PersonStays } from './persons.ts';

const DAY_MS = 86_400_000;
/** Calendar days are China Standard Time days (no daylight saving). */
const CST_OFFSET_MS = 8 * 3_600_000;

/** What the worklist reads of patients' records. */
export interface WorklistRecords {
  /** The cached records of one system record, with their provenance (empty when none). */
  cached(ref: SourcePatientRef): Promise<SourcedResource[]>;
  /**
   * Asks the sources now for these patients' results since `since`, storing what they answer
   * (perhaps after resolving); resolves with, per patient (stayKey), the ids of sources that did
   * not answer and what was fetched.
   */
  refresh?(
    refs: readonly SourcePatientRef[],
    since: string | undefined,
    signal: AbortSignal,
  ): Promise<{ pending: Map<string, string[]>; fresh: Map<string, SourcedResource[]> }>;
  /** Resolves once what earlier refreshes fetched is in the cache. */
  settled?(): Promise<void>;
  /**
   * Other systems' cached records sharing a 身份证 with these Patients: a person's allergy may be
   * held only by a system the census never names (the CDR of a patient the HIS admitted).
   */
  samePerson?(patients: readonly Patient[]): Promise<SourcePatientRef[]>;
}

export interface WorklistOptions {
  census: CensusKeeper;
  lastViewed: LastViewed;
  records: WorklistRecords;
  careWindowDays: number;
  /** Counts the abnormal and unacknowledged critical new results (default: the sources' flags and ranges). */
  judgeResults?: ResultJudgePort;
  /** Links the stays' records into people, as search does (without it, a row per system record). */
  linkPersons?: LinkPersonsPort;
  /** Census sources asked live (FHIR CDRs); HL7 v2 ADT arrives by push instead. */
  censusQuery?: CensusQuery;
  clock?: () => number;
  log?: (line: string) => void;
}

export interface ListOptions {
  from: 'cache' | 'systems';
  /** The access layer's masking for this session, applied to names and birth dates. */
  mask: (candidates: PatientCandidate[]) => PatientCandidate[];
  signal?: AbortSignal;
}

export interface Worklist {
  /** The rows this user may see, sorted by ward and bed. Only the admitted persons' records are read. */
  list(user: User, options: ListOptions): Promise<WorklistResponse>;
  /** The census's stays of these records as encounters, for the care rule that decides an open. */
  careContext(refs: readonly SourcePatientRef[]): Encounter[];
  /** The user opened this person: results before now are no longer new to them. */
  viewed(user: User, refs: readonly SourcePatientRef[]): void;
}

/** The stay as the access rule reads an encounter: the same rule that decides an open decides the list. */
function encounterOf(stay: Stay): Encounter {
  return {
    resourceType: 'Encounter',
    status: stay.status === 'admitted' ? 'in-progress' : 'finished',
    class: { code: 'IMP' },
    location: [{ location: { identifier: { value: stay.location.ward } } }],
    ...(stay.attending?.id ? { participant: [{ individual: { identifier: { value: stay.attending.id } } }] } : {}),
    ...(stay.admittedAt || stay.dischargedAt
      ? { period: { ...(stay.admittedAt ? { start: stay.admittedAt } : {}), ...(stay.dischargedAt ? { end: stay.dischargedAt } : {}) } }
      : {}),
  };
}

const cstDay = (ms: number): number => Math.floor((ms + CST_OFFSET_MS) / DAY_MS);

function admissionDay(admittedAt: string | undefined, now: number): number | undefined {
  const at = Date.parse(admittedAt ?? '');
  return Number.isFinite(at) && at <= now ? cstDay(now) - cstDay(at) + 1 : undefined;
}

function ageYears(birthDate: string | undefined, now: number): number | undefined {
  const m = /^(\d{4})(?:-(\d{2})-(\d{2}))?/.exec(birthDate ?? '');
  if (!m) return undefined;
  const today = new Date(now + CST_OFFSET_MS);
  let age = today.getUTCFullYear() - Number(m[1]);
  if (
    m[2] &&
    m[3] &&
    (today.getUTCMonth() + 1 < Number(m[2]) || (today.getUTCMonth() + 1 === Number(m[2]) && today.getUTCDate() < Number(m[3])))
  )
    age -= 1;
  return age >= 0 ? age : undefined;
}

/** SNOMED CT "no known allergy" (and its kin): recorded as none, not "not recorded". */
const NO_KNOWN_ALLERGY = new Set(['716186003', '409137002', '428607008', '429625007']);

type AllergyVerdict = WorklistRow['allergies'];

/** One system's word on allergies: a real allergy, only "no known allergy" records, or nothing. */
function allergyVerdictOf(resources: readonly Resource[]): AllergyVerdict {
  const recorded = resources.filter((r) => r.resourceType === 'AllergyIntolerance') as {
    code?: { coding?: { code?: string }[] };
    verificationStatus?: { coding?: { code?: string }[] };
    clinicalStatus?: { coding?: { code?: string }[] };
  }[];
  const real = recorded.filter(
    (a) =>
      !['refuted', 'entered-in-error'].includes(a.verificationStatus?.coding?.[0]?.code ?? '') &&
      !['inactive', 'resolved'].includes(a.clinicalStatus?.coding?.[0]?.code ?? ''),
  );
  if (real.some((a) => !(a.code?.coding ?? []).some((c) => NO_KNOWN_ALLERGY.has(c.code ?? '')))) return 'yes';
  return real.length > 0 ? 'none' : 'unknown';
}

export interface AllergyFlag {
  allergies: AllergyVerdict;
  /** Systems holding a real allergy. */
  allergySources: string[];
  /** One system holds an allergy, another records none known: shown, the allergy winning. */
  allergyConflict: boolean;
}

/**
 * The person's allergy flag over every system's records and every stay's flag (HL7 v2 AL1): a
 * real allergy anywhere wins over "none known" elsewhere — a missed allergy harms, a spurious
 * flag costs a look — and "none known" needs a system that said so, else it is "not recorded".
 */
export function allergiesOf(stays: readonly Stay[], records: readonly SourcedResource[]): AllergyFlag {
  const bySystem = new Map<string, AllergyVerdict>();
  const note = (sourceId: string, verdict: AllergyVerdict) => {
    const known = bySystem.get(sourceId);
    if (verdict === 'yes' || (verdict === 'none' && known !== 'yes')) bySystem.set(sourceId, verdict);
  };
  const systems = new Set(records.map((r) => r.provenance.sourceId));
  for (const sourceId of systems)
    note(sourceId, allergyVerdictOf(records.filter((r) => r.provenance.sourceId === sourceId).map((r) => r.resource)));
  for (const stay of stays) if (stay.allergies !== undefined) note(stay.patient.sourceId, stay.allergies ? 'yes' : 'none');
  const allergySources = [...bySystem].flatMap(([id, v]) => (v === 'yes' ? [id] : [])).sort();
  const saysNone = [...bySystem.values()].includes('none');
  return {
    allergies: allergySources.length > 0 ? 'yes' : saysNone ? 'none' : 'unknown',
    allergySources,
    allergyConflict: allergySources.length > 0 && saysNone,
  };
}

/**
 * What the renderer searches to find the whole person (every linked system record): the
 * record's medical record number when the cache holds its Patient, else its id in the source
 * (an HL7 v2 system's id is its MRN).
 */
function openQueryOf(ref: SourcePatientRef, resources: readonly Resource[]): string {
  const patient = resources.find((r) => r.resourceType === 'Patient' && r.id === ref.sourcePatientId) as
    { identifier?: { value?: string; system?: string; type?: { coding?: { code?: string }[] } }[] } | undefined;
  const identifiers = (patient?.identifier ?? []).filter((i) => i.value);
  const mrn =
    identifiers.find((i) => i.type?.coding?.some((c) => c.code === 'MR')) ??
    identifiers.find((i) => /mrn|病案|medical-record/i.test(i.system ?? ''));
  return mrn?.value ?? ref.sourcePatientId;
}

const compareBeds = new Intl.Collator('zh-CN', { numeric: true });

/** The cached records with what this listing just fetched (not yet in the cache), the fetched copy winning. */
function withFresh(cached: readonly SourcedResource[], fresh: readonly SourcedResource[]): SourcedResource[] {
  if (fresh.length === 0) return [...cached];
  const keyOf = (r: SourcedResource) => `${r.provenance.sourceId}/${r.resource.resourceType}/${r.resource.id ?? ''}`;
  const fetched = new Set(fresh.map(keyOf));
  return [...cached.filter((r) => !fetched.has(keyOf(r))), ...fresh];
}

/** Names and birth dates through the access layer's masking, as search results are. */
function masked(rows: WorklistRow[], mask: ListOptions['mask']): WorklistRow[] {
  const candidates = mask(
    rows.map((row) => ({
      key: row.key,
      displayName: row.name,
      otherNames: [],
      identifiers: [],
      refs: row.refs,
      link: { outcome: 'single', reasons: [] },
      ...(row.sex ? { gender: row.sex } : {}),
      ...(row.birthDate ? { birthDate: row.birthDate } : {}),
    })) as PatientCandidate[],
  );
  return rows.map((row, i) => {
    const { birthDate: _unmasked, ...rest } = row;
    const birthDate = candidates[i]?.birthDate;
    return { ...rest, name: candidates[i]?.displayName ?? '', ...(birthDate ? { birthDate } : {}) };
  });
}

/**
 * The census sources' answer for this user's wards enters the census like any ADT event; a
 * stay of a source that answered in full and no longer lists it has ended there (A03). A
 * source that failed changes nothing: its stays stay as they were.
 */
async function askCensus(
  options: WorklistOptions,
  staysOf: (user: User, now: number) => { stay: Stay }[],
  ask: { user: User; signal: AbortSignal; onAnswer: (events: CensusAnswers['events']) => void },
): Promise<{ failures: CensusFailure[]; answeredBy: string[] }> {
  const { user, signal, onAnswer } = ask;
  const clock = options.clock ?? Date.now;
  try {
    const { events, answeredBy, failures } = await options.censusQuery!(
      { wards: user.wards, ...(user.practitionerId ? { practitionerId: user.practitionerId } : {}) },
      signal,
    );
    onAnswer(events);
    // Let the requests started for the answer go out before keeping it (a synchronous, durable write).
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const failure of failures)
      options.log?.(`worklist: census source ${failure.sourceId} gave no census (${failure.code}): ${failure.detail}`);
    const listed = new Set(events.map((e) => stayKey(e.event.patient)));
    const now = clock();
    const ended = staysOf(user, now)
      .filter(({ stay }) => stay.status === 'admitted' && answeredBy.includes(stay.patient.sourceId) && !listed.has(stayKey(stay.patient)))
      .map(({ stay }) => ({
        event: { trigger: 'A03', patient: stay.patient, occurredAt: new Date(now).toISOString() } satisfies AdtEvent,
        via: stay.via,
      }));
    options.census.acceptEach([...events, ...ended]);
    return { failures, answeredBy };
  } catch (error) {
    options.log?.(`worklist: the census sources could not be asked: ${error instanceof Error ? error.message : String(error)}`);
    return { failures: [], answeredBy: [] };
  }
}

type Placed = { stay: Stay; basis: 'ward' | 'treating'; patient: SourcedResource<Patient>; records: SourcedResource[] };

/** Each stay with its record as the cache (or this listing) holds it, and its Patient for linking. */
async function placed(
  store: WorklistRecords,
  stays: { stay: Stay; basis: 'ward' | 'treating' }[],
  fetched: Map<string, SourcedResource[]>,
  now: number,
): Promise<Placed[]> {
  return Promise.all(
    stays.map(async ({ stay, basis }) => {
      const records = withFresh(await store.cached(stay.patient), fetched.get(stayKey(stay.patient)) ?? []);
      const held = records.find((r) => r.resource.resourceType === 'Patient' && r.resource.id === stay.patient.sourcePatientId);
      const patient: SourcedResource<Patient> = held
        ? { resource: held.resource as Patient, provenance: held.provenance }
        : {
            resource: patientOfStay(stay),
            provenance: {
              sourceId: stay.patient.sourceId,
              sourceName: stay.patient.sourceId,
              sourceKind: stay.via === 'fhir' ? 'fhir' : 'hl7v2',
              nativeId: `Patient/${stay.patient.sourcePatientId}`,
              messageType: 'census',
              fetchedAt: new Date(now).toISOString(),
            },
          };
      return { stay, basis, patient, records };
    }),
  );
}

function forgetPruned(lastLive: Map<string, string[]>, census: CensusKeeper): void {
  const held = new Set(census.stays().map((stay) => stayKey(stay.patient)));
  for (const key of lastLive.keys()) if (!held.has(key)) lastLive.delete(key);
}

/**
 * The cached records of the person's systems that neither the census nor the linker reached,
 * found by a shared 身份证: allergies are read from every record of the person the cache holds.
 */
async function peerRecordsOf(store: WorklistRecords, person: PersonStays<Placed>): Promise<SourcedResource[]> {
  const known = new Set(person.refs.map(stayKey));
  const peers = (await store.samePerson?.(person.stays.map((s) => s.patient.resource))) ?? [];
  const unseen = peers.filter((r, i) => !known.has(stayKey(r)) && peers.findIndex((p) => stayKey(p) === stayKey(r)) === i);
  return (await Promise.all(unseen.map((ref) => store.cached(ref)))).flat();
}

/** The census sources that failed this listing, each with when it last gave its census (the stays it placed are as of then). */
function censusOutcome(
  failures: readonly CensusFailure[],
  answeredAt: ReadonlyMap<string, string>,
): Pick<WorklistResponse, 'censusFailures'> {
  if (failures.length === 0) return {};
  return {
    censusFailures: failures.map(({ sourceId, code }) => {
      const lastAnsweredAt = answeredAt.get(sourceId);
      return { sourceId, code, ...(lastAnsweredAt ? { lastAnsweredAt } : {}) };
    }),
  };
}

function censusCareContext(census: CensusKeeper, refs: readonly SourcePatientRef[]): Encounter[] {
  const wanted = new Set(refs.map(stayKey));
  return census
    .stays()
    .filter((stay) => wanted.has(stayKey(stay.patient)))
    .map(encounterOf);
}

export function createWorklist(options: WorklistOptions): Worklist {
  const clock = options.clock ?? Date.now;
  const judgeResults = options.judgeResults ?? sourceJudgedResults;
  /** Per stay, the sources the last live read found unanswered: a re-read from the cache (a pushed change) keeps what it learnt. */
  const lastLive = new Map<string, string[]>();
  /** When each census source last gave its census: what a failed source's stays are as of. */
  const censusAnsweredAt = new Map<string, string>();

  /** The user's stays with the grounds for each, decided per person before any record is read. */
  function staysFor(user: User, now: number): { stay: Stay; basis: 'ward' | 'treating' }[] {
    return options.census.stays().flatMap((stay) => {
      const basis = careRelationship(user, [encounterOf(stay)], { now, careWindowDays: options.careWindowDays });
      return basis === 'ward' || basis === 'treating' ? [{ stay, basis }] : [];
    });
  }

  async function rowOf(user: User, person: PersonStays<Placed>, pendingOf: (key: string) => string[], now: number): Promise<WorklistRow> {
    const stay = person.primary.stay;
    const { refs } = person;
    const own = new Set(person.stays.map((s) => stayKey(s.stay.patient)));
    // The person's other records (reached by cross-reference) count too: every system's new results.
    const linked = await Promise.all(refs.filter((r) => !own.has(stayKey(r))).map((ref) => options.records.cached(ref)));
    const records = [...person.stays.flatMap((s) => s.records), ...linked.flat()];
    const peerRecords = await peerRecordsOf(options.records, person);
    const resources = records.map((r) => r.resource);
    const lastViewedAt = options.lastViewed.lastViewedAt(user.id, refs);
    // Never opened: what arrived during this stay is new.
    const fresh = resultsSince(resources, lastViewedAt ?? stay.admittedAt) as Observation[];
    const freshSet = new Set<Resource>(fresh);
    const { abnormal, critical } = await judgeResults({
      refs,
      newResults: fresh,
      newRecords: records.filter((r) => freshSet.has(r.resource)),
    });
    const stays = person.stays.map((s) => s.stay);
    const first = <K extends keyof Stay>(k: K): Stay[K] | undefined => stays.find((s) => s[k] !== undefined)?.[k];
    const mine = Boolean(user.practitionerId && stays.some((s) => s.attending?.id === user.practitionerId));
    const days = admissionDay(stay.admittedAt, now);
    const birthDate = first('birthDate');
    const age = ageYears(birthDate, now);
    const sex = first('sex');
    const attending = stay.attending ?? first('attending');
    const diagnosis = stay.diagnosis ?? first('diagnosis');
    const allergy = allergiesOf(stays, [...records, ...peerRecords]);
    return {
      key: [...own].sort()[0]!,
      refs,
      placements: stays.map((s) => ({
        sourceId: s.patient.sourceId,
        ward: s.location.ward,
        ...(s.location.room ? { room: s.location.room } : {}),
        ...(s.location.bed ? { bed: s.location.bed } : {}),
        status: s.status,
      })),
      placementConflict: person.conflict,
      openQuery: openQueryOf(
        stay.patient,
        person.primary.records.map((r) => r.resource),
      ),
      ward: stay.location.ward,
      ...(stay.location.room ? { room: stay.location.room } : {}),
      ...(stay.location.bed ? { bed: stay.location.bed } : {}),
      name: stay.name ?? first('name') ?? '',
      ...(sex ? { sex } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(age !== undefined ? { ageYears: age } : {}),
      ...(stay.admittedAt ? { admittedAt: stay.admittedAt } : {}),
      ...(days !== undefined ? { admissionDay: days } : {}),
      ...(attending?.display || attending?.id ? { attending: attending.display ?? attending.id } : {}),
      mine,
      basis: person.stays.some((s) => s.basis === 'ward') ? 'ward' : 'treating',
      status: stay.status,
      ...(diagnosis ? { diagnosis } : {}),
      allergies: allergy.allergies,
      ...(allergy.allergySources.length > 0 ? { allergySources: allergy.allergySources } : {}),
      ...(allergy.allergyConflict ? { allergyConflict: true } : {}),
      newResults: { count: fresh.length, abnormal, critical },
      ...(lastViewedAt ? { lastViewedAt } : {}),
      pendingSources: [...new Set(person.stays.flatMap((s) => pendingOf(stayKey(s.stay.patient))))],
    };
  }

  return {
    async list(user, { from, mask, signal = new AbortController().signal }) {
      const refresh = options.records.refresh;
      const live = from === 'systems';
      await options.records.settled?.();
      const failed = new Map<string, string[]>();
      const fetched = new Map<string, SourcedResource[]>();
      let census: { failures: CensusFailure[]; answeredBy: string[] } | undefined;
      const refreshStays = async (stays: readonly Pick<Stay, 'patient' | 'admittedAt'>[]) => {
        if (!refresh || stays.length === 0) return;
        const since = stays.map((stay) => stay.admittedAt ?? '').sort()[0] || undefined;
        try {
          const { pending, fresh } = await refresh(
            stays.map((stay) => stay.patient),
            since,
            signal,
          );
          for (const [key, sources] of pending) failed.set(key, sources);
          for (const [key, found] of fresh) fetched.set(key, found);
        } catch (error) {
          options.log?.(`worklist: the live refresh failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
      if (live) {
        // The patients the census already holds are refreshed while the census sources are asked; only arrivals wait for both.
        const known = staysFor(user, clock()).map(({ stay }) => stay);
        const asked = new Set(known.map((stay) => stayKey(stay.patient)));
        // Arrivals are asked for as soon as the census answers, while its answer is being kept.
        let arrivals: Promise<void> = Promise.resolve();
        const onAnswer = (events: CensusAnswers['events']) => {
          const arriving = events.flatMap(({ event }) =>
            event.trigger !== 'A03' && event.trigger !== 'A11' && !asked.has(stayKey(event.patient)) ? [event] : [],
          );
          for (const event of arriving) asked.add(stayKey(event.patient));
          arrivals = refreshStays(arriving);
        };
        [census] = await Promise.all([
          options.censusQuery ? askCensus(options, staysFor, { user, signal, onAnswer }) : { failures: [], answeredBy: [] },
          refreshStays(known),
        ]);
        for (const sourceId of census.answeredBy) censusAnsweredAt.set(sourceId, new Date(clock()).toISOString());
        await arrivals;
        await refreshStays(staysFor(user, clock()).flatMap(({ stay }) => (asked.has(stayKey(stay.patient)) ? [] : [stay])));
      }
      const now = clock();
      const mineStays = staysFor(user, now);
      // Stays the census no longer holds (pruned after the care window) take their answer with them.
      if (live) forgetPruned(lastLive, options.census);
      const pending = new Map<string, string[]>(
        mineStays.map(({ stay }) => {
          const key = stayKey(stay.patient);
          if (!live || !refresh) return [key, lastLive.get(key) ?? [stay.patient.sourceId]];
          const unanswered = failed.get(key) ?? [stay.patient.sourceId];
          lastLive.set(key, unanswered);
          return [key, unanswered];
        }),
      );
      const persons = groupStays(await placed(options.records, mineStays, fetched, now), options.linkPersons);
      const rows = await Promise.all(persons.map((person) => rowOf(user, person, (key) => pending.get(key) ?? [], now)));
      rows.sort(
        (a, b) =>
          compareBeds.compare(a.ward, b.ward) || compareBeds.compare(a.bed ?? '\uffff', b.bed ?? '\uffff') || a.key.localeCompare(b.key),
      );
      return {
        rows: masked(rows, mask),
        wards: [...user.wards],
        from: live && refresh ? 'systems' : 'cache',
        asOf: new Date(now).toISOString(),
        ...censusOutcome(census?.failures ?? [], censusAnsweredAt),
        ...(census && options.censusQuery ? { censusAnsweredBy: census.answeredBy } : {}),
      };
    },
    careContext: (refs) => censusCareContext(options.census, refs),
    viewed(user, refs) {
      options.lastViewed.viewed(user.id, refs, new Date(clock()).toISOString());
    },
  };
}
