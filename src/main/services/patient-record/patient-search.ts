import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { AnswerWarning } from '../../../shared/domain/source.ts';
import { collectWarnings, fanOut, type FanOutTarget, type SourceStatusBoard } from '../aggregator/index.ts';
import { groupCandidates, type LinkDecisionStore, nationalIdValues } from '../identity/index.ts';
import type { ConfiguredSource } from './configured-source.ts';
import { cacheKeyOf } from './cache-key.ts';
import { markCachedParts } from './cached-stand-ins.ts';
import type { PatientRecordCache } from './patient-record-cache.ts';

export interface PatientSearchContext {
  sources: readonly ConfiguredSource[];
  board: SourceStatusBoard;
  recordCache?: PatientRecordCache;
  /** The user's confirm/unlink decisions: they override the matcher on every search. */
  decisions?: LinkDecisionStore;
  /** Told every Patient the systems returned (the audit shows the matcher's verdict on a pair). */
  onFound?: (found: readonly SourcedResource<Patient>[]) => void;
  target<T>(source: ConfiguredSource, read: (signal: AbortSignal) => Promise<T>): FanOutTarget<T>;
}

/** A source that would not ask its system for this query is left out, not reported as answering. */
function searches(source: ConfiguredSource, text: string): boolean {
  return source.adapter.searches?.({ text }) ?? true;
}

/** A search is interactive: each source gets its own short deadline, not the record fetch's. */
function searchTarget(ctx: PatientSearchContext, source: ConfiguredSource, text: string): FanOutTarget<SourcedResource<Patient>[]> {
  const collector = collectWarnings((signal, onWarnings) => source.adapter.searchPatients({ text }, { signal, onWarnings }));
  const target = ctx.target(source, collector.read);
  const { timeoutMs, searchTimeoutMs } = source.config.resilience;
  const searching = { ...target, policy: { ...target.policy, timeoutMs: Math.min(timeoutMs, searchTimeoutMs) } };
  warningsOfSearch.set(searching, collector.warnings);
  return searching;
}

/** What each search's answer left out, for its status ("answered, with warnings"); gone with the target. */
const warningsOfSearch = new WeakMap<FanOutTarget<SourcedResource<Patient>[]>, () => AnswerWarning[]>();

/** Beyond this many candidates the query was too vague to be worth a second round. */
const RESOLVE_AT_MOST = 3;

function dedupe(found: readonly SourcedResource<Patient>[]): SourcedResource<Patient>[] {
  const seen = new Map<string, SourcedResource<Patient>>();
  for (const item of found) seen.set(cacheKeyOf({ sourceId: item.provenance.sourceId, sourcePatientId: item.resource.id ?? '' }), item);
  return [...seen.values()];
}

/** What to ask the systems that did not return this candidate: its 身份证, then its name. */
function followUpQueries(candidate: PatientCandidate, found: readonly SourcedResource<Patient>[]): string[] {
  const members = found.filter((f) =>
    candidate.refs.some((r) => r.sourceId === f.provenance.sourceId && r.sourcePatientId === f.resource.id),
  );
  const nationalIds = members.flatMap((m) => nationalIdValues(m.resource));
  return [...new Set([...nationalIds, candidate.displayName])];
}

/**
 * Systems the user unlinked one of this candidate's records from. A cross-reference may name the
 * same record by another identifier (an MRN where the unlink named the FHIR id), so a user's
 * unlink outranks every cross-reference into that system.
 */
function unlinkedSystems(candidate: PatientCandidate, decisions: LinkDecisionStore | undefined): Set<string> {
  const systems = new Set<string>();
  if (!decisions) return systems;
  const own = new Set(candidate.refs.map((r) => `${r.sourceId}/${r.sourcePatientId}`));
  for (const ref of candidate.refs) {
    for (const d of decisions.involving(ref)) {
      if (d.verdict !== 'unlinked') continue;
      for (const side of [d.a, d.b]) if (!own.has(`${side.sourceId}/${side.sourcePatientId}`)) systems.add(side.sourceId);
    }
  }
  return systems;
}

/** Adds refs to systems known only through another system's cross-reference (PIX, MPI). */
function addCrossReferences(
  candidate: PatientCandidate,
  sources: readonly ConfiguredSource[],
  decisions?: LinkDecisionStore,
): PatientCandidate {
  const refused = unlinkedSystems(candidate, decisions);
  const unlinked = (ref: PatientCandidate['refs'][number]) => refused.has(ref.sourceId);
  const added = candidate.identifiers.flatMap((id) => {
    const source = sources.find((s) => s.config.patientIdSystem && s.config.patientIdSystem === id.system);
    if (!source || candidate.refs.some((r) => r.sourceId === source.config.id)) return [];
    const ref = { sourceId: source.config.id, sourcePatientId: id.value };
    if (unlinked(ref)) return [];
    return [{ ref, via: id.sourceId }];
  });
  if (added.length === 0) return candidate;
  const unique = added.filter((a, i) => added.findIndex((b) => b.ref.sourceId === a.ref.sourceId) === i);
  return {
    ...candidate,
    refs: [...candidate.refs, ...unique.map((a) => a.ref)],
    link: {
      ...candidate.link,
      reasons: [...candidate.link.reasons, ...unique.map((a) => ({ code: 'cross-reference' as const, ref: a.ref, via: a.via }))],
    },
  };
}

/** What a search shows before it settles: the candidates so far and the systems still asked. */
export interface SearchProgress {
  candidates: PatientCandidate[];
  /** Source ids asked and not yet answered or given up on. */
  pending: string[];
}

/** What grouping found records into people reads of a search's context. */
type LinkContext = Pick<PatientSearchContext, 'sources' | 'decisions' | 'onFound'>;

/** Groups what was found into candidates, as the screen shows them. */
function candidatesOf(ctx: LinkContext, found: readonly SourcedResource<Patient>[]): PatientCandidate[] {
  const unique = dedupe(found);
  ctx.onFound?.(unique);
  return groupCandidates(unique, ctx.decisions ? { decisions: ctx.decisions } : {});
}

/** `standIns`: the cached parts standing in for systems that did not answer, marked as such on screen. */
const shown = (
  ctx: LinkContext,
  candidates: readonly PatientCandidate[],
  standIns: readonly SourcedResource<Patient>[],
): PatientCandidate[] =>
  markCachedParts(candidates, standIns).map((c) => withUniqueIdentifiers(addCrossReferences(c, ctx.sources, ctx.decisions)));

/**
 * The people among records found some other way (the ward census): grouped exactly as a search
 * groups its answers — the matcher, the users' decisions, cross-references to other systems.
 */
export function linkFoundPatients(ctx: LinkContext, found: readonly SourcedResource<Patient>[]): PatientCandidate[] {
  return shown(ctx, candidatesOf(ctx, found), []);
}

/** The systems that did not return a candidate and answered this search: asked again by its 身份证 and name. */
async function followUp(
  ctx: PatientSearchContext,
  query: string,
  candidates: readonly PatientCandidate[],
  found: SourcedResource<Patient>[],
  answered: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<boolean> {
  const followUps = candidates.flatMap((c) => {
    const missing = ctx.sources.filter((s) => answered.has(s.config.id) && !c.refs.some((r) => r.sourceId === s.config.id));
    return followUpQueries(c, found).flatMap((q) =>
      q === query ? [] : missing.filter((s) => searches(s, q)).map((s) => ({ source: s, q })),
    );
  });
  if (followUps.length === 0) return false;
  // Each follow-up is a real call: the status bar hears it begin and settle as the first round's.
  for (const { source } of followUps) ctx.board.markLoading(source.config.id);
  const more = await fanOut(
    followUps.map(({ source, q }) => searchTarget(ctx, source, q)),
    signal,
    ({ target: t, outcome }) => {
      const source = ctx.sources.find((s) => s.config.id === t.source.id)!;
      ctx.board.record(
        t.source.id,
        outcome,
        source.config.resilience,
        outcome.ok ? outcome.value.length : undefined,
        outcome.ok ? warningsOfSearch.get(t)?.() : undefined,
      );
    },
  );
  found.push(...more.flatMap((r) => (r.outcome.ok ? r.outcome.value : [])));
  return true;
}

/**
 * Finds a patient across every system. Cache first: what the workstation holds is reported at
 * once (`onProgress`), each system's live answer merges in as it arrives, and a system that
 * fails or hangs past its own search deadline leaves its cached part standing in. When the
 * query narrowed it down, the systems that did not return the patient are then asked again by
 * the strong identifier (身份证) and name the others returned — a search by one system's MRN
 * still gathers the whole record.
 */
export async function searchAcrossSources(
  ctx: PatientSearchContext,
  query: string,
  onProgress?: (progress: SearchProgress) => void,
): Promise<PatientCandidate[]> {
  const controller = new AbortController();
  const asked = ctx.sources.filter((s) => searches(s, query));
  for (const s of asked) ctx.board.markLoading(s.config.id);
  const found: SourcedResource<Patient>[] = [];
  const answered = new Set<string>();
  const pending = new Set(asked.map((s) => s.config.id));
  let cached: SourcedResource<Patient>[] = [];
  // While systems are still asked, the cache stands in for every one that has not answered.
  const standIns = () => cached.filter((p) => !answered.has(p.provenance.sourceId));
  const report = () =>
    onProgress?.({
      candidates: shown(ctx, candidatesOf(ctx, [...found, ...standIns()]), standIns()),
      pending: [...pending],
    });

  const live = fanOut(
    asked.map((s) => searchTarget(ctx, s, query)),
    controller.signal,
    ({ target: t, outcome }) => {
      const source = ctx.sources.find((s) => s.config.id === t.source.id)!;
      ctx.board.record(
        t.source.id,
        outcome,
        source.config.resilience,
        outcome.ok ? outcome.value.length : undefined,
        outcome.ok ? warningsOfSearch.get(t)?.() : undefined,
      );
      pending.delete(t.source.id);
      if (outcome.ok) {
        answered.add(t.source.id);
        found.push(...outcome.value);
      }
      report();
    },
  );
  if (ctx.recordCache) {
    cached = await ctx.recordCache.findPatients(query);
    if (pending.size > 0) report();
  }
  await live;

  // Settled: the cache stands in for systems that failed. A system this query cannot reach (a
  // LIS asked for a name) is reached through the others' cross-references — and, when one of
  // those is down, through its own part in the cache.
  const failed = asked.some((s) => !answered.has(s.config.id));
  const settledStandIns = failed ? standIns() : [];
  found.push(...settledStandIns);
  let candidates = candidatesOf(ctx, found);
  if (
    candidates.length > 0 &&
    candidates.length <= RESOLVE_AT_MOST &&
    (await followUp(ctx, query, candidates, found, answered, controller.signal))
  ) {
    candidates = candidatesOf(ctx, found);
  }
  return shown(ctx, candidates, settledStandIns);
}

/** The same 身份证 reported by four systems is one identifier on screen, credited to the first. */
function withUniqueIdentifiers(candidate: PatientCandidate): PatientCandidate {
  const seen = new Set<string>();
  const identifiers = candidate.identifiers.filter((i) => {
    const key = `${i.system ?? i.label ?? ''}|${i.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...candidate, identifiers };
}
