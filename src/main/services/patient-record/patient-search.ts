import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { fanOut, type FanOutTarget } from '../aggregator/fan-out.ts';
import type { SourceStatusBoard } from '../aggregator/source-status-board.ts';
import { groupCandidates } from '../identity/group-candidates.ts';
import type { LinkDecisionStore } from '../identity/link-decisions.ts';
import type { ConfiguredSource } from './configured-source.ts';
import { cacheKeyOf } from './cache-key.ts';
import type { PatientRecordCache } from './patient-record-cache.ts';
import { nationalIdValues } from '../identity/identifier-kinds.ts';

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
  const target = ctx.target(source, (signal) => source.adapter.searchPatients({ text }, { signal }));
  const { timeoutMs, searchTimeoutMs } = source.config.resilience;
  return { ...target, policy: { ...target.policy, timeoutMs: Math.min(timeoutMs, searchTimeoutMs) } };
}

/** Beyond this many candidates the query was too vague to be worth a second round. */
const RESOLVE_AT_MOST = 3;

function dedupe(found: readonly SourcedResource<Patient>[]): SourcedResource<Patient>[] {
  const seen = new Map<string, SourcedResource<Patient>>();
  for (const item of found) seen.set(cacheKeyOf({ sourceId: item.provenance.sourceId, sourcePatientId: item.resource.id ?? '' }), item);
  return [...seen.values()];
}

/** What to ask the systems that did not return this candidate: its 身份证, then its name. */
function followUpQueries(candidate: PatientCandidate, found: readonly SourcedResource<Patient>[]): string[] {
  const members = found.filter((f) => candidate.refs.some((r) => r.sourceId === f.provenance.sourceId && r.sourcePatientId === f.resource.id));
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
function addCrossReferences(candidate: PatientCandidate, sources: readonly ConfiguredSource[], decisions?: LinkDecisionStore): PatientCandidate {
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
    link: { ...candidate.link, reasons: [...candidate.link.reasons, ...unique.map((a) => ({ code: 'cross-reference' as const, ref: a.ref, via: a.via }))] },
  };
}

/**
 * Finds a patient across every system: each searches its own way; systems that are down are
 * searched in the cache; then, when the query narrowed it down, the systems that did not return
 * the patient are asked again by the strong identifier (身份证) and name the others returned —
 * a search by one system's MRN still gathers the whole record.
 */
export async function searchAcrossSources(ctx: PatientSearchContext, query: string): Promise<PatientCandidate[]> {
  const controller = new AbortController();
  const asked = ctx.sources.filter((s) => searches(s, query));
  for (const s of asked) ctx.board.markLoading(s.config.id);
  const results = await fanOut(
    asked.map((s) => searchTarget(ctx, s, query)),
    controller.signal,
    ({ target: t, outcome }) => {
      const source = ctx.sources.find((s) => s.config.id === t.source.id)!;
      ctx.board.record(t.source.id, outcome, source.config.resilience, outcome.ok ? outcome.value.length : undefined);
    },
  );
  const found = results.flatMap((r) => (r.outcome.ok ? r.outcome.value : []));
  const answered = new Set(results.filter((r) => r.outcome.ok).map((r) => r.target.source.id));
  // The cache stands in for systems that failed. A system this query cannot reach (a LIS asked
  // for a name) is reached through the others' cross-references — and, when one of those is down,
  // through its own part in the cache.
  const failed = asked.filter((s) => !answered.has(s.config.id));
  const unanswered = (failed.length > 0 ? ctx.sources.filter((s) => !answered.has(s.config.id)) : failed).map((s) => s.config.id);
  if (ctx.recordCache && unanswered.length > 0) {
    const cached = await ctx.recordCache.findPatients(query);
    found.push(...cached.filter((p) => unanswered.includes(p.provenance.sourceId)));
  }

  const group = () => {
    const unique = dedupe(found);
    ctx.onFound?.(unique);
    return groupCandidates(unique, ctx.decisions ? { decisions: ctx.decisions } : {});
  };
  let candidates = group();
  if (candidates.length > 0 && candidates.length <= RESOLVE_AT_MOST) {
    const followUps = candidates.flatMap((c) => {
      const missing = ctx.sources.filter((s) => answered.has(s.config.id) && !c.refs.some((r) => r.sourceId === s.config.id));
      return followUpQueries(c, found).flatMap((q) => (q === query ? [] : missing.filter((s) => searches(s, q)).map((s) => ({ source: s, q }))));
    });
    if (followUps.length > 0) {
      const more = await fanOut(
        followUps.map(({ source, q }) => searchTarget(ctx, source, q)),
        controller.signal,
      );
      found.push(...more.flatMap((r) => (r.outcome.ok ? r.outcome.value : [])));
      candidates = group();
    }
  }
  return candidates.map((c) => withUniqueIdentifiers(addCrossReferences(c, ctx.sources, ctx.decisions)));
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
