/**
 * What `huizhen quality` learns query after query, and the rules that make its report true: the
 * people the queries reach (several queries may reach one person, who is checked once), the
 * sources that failed and why, and each record's findings counted once.
 */
import type { PatientCandidate } from '../../shared/domain/patient.ts';
import type { QualityFinding } from '../../shared/domain/quality.ts';
import type { SourceErrorCode, SourcePatientRef, SourceState, SourceStatus } from '../../shared/domain/source.ts';

/** What became of one line of the patients file. */
export type QueryOutcome = 'checked' | 'no-match' | 'several' | 'search-failed' | 'access-denied';

export interface QueryResult {
  query: string;
  outcome: QueryOutcome;
  /** Patients the search found (with 'search-failed': among the sources that answered). */
  matches: number;
  /** With 'checked': the person (1, 2 …) it reached; queries with the same number reached the same person. */
  person?: number;
}

/** One reason a source did not answer, and how often. */
export interface FailureReason {
  state: SourceState;
  code?: SourceErrorCode;
  message?: string;
  /** HTTP status the system answered with. */
  status?: number;
  /** How long the workstation waited, for a timeout. */
  timeoutMs?: number;
  /** Searches and opens that failed this way. */
  count: number;
}

export interface FailedSource {
  sourceId: string;
  name: string;
  reasons: FailureReason[];
}

/** States in which a source gave no live answer: the report is incomplete for it. */
const FAILED_STATES: ReadonlySet<SourceState> = new Set(['failed', 'circuit-open', 'cached', 'loading']);

const refKey = (r: SourcePatientRef) => `${r.sourceId}\u0000${r.sourcePatientId}`;

export class QualityTally {
  readonly queries: QueryResult[] = [];
  readonly names = new Map<string, string>();
  /** Sources some search or open asked (whatever they answered). */
  readonly asked = new Set<string>();
  readonly #failures = new Map<string, Map<string, FailureReason>>();
  /** Each person's refs; a ref belongs to one person (the workstation's identity linking decided). */
  readonly #people: Map<string, SourcePatientRef>[] = [];
  readonly #personOfRef = new Map<string, number>();

  /** Notes the sources' states after a search or an open; true when every source answered. */
  sources(statuses: readonly SourceStatus[]): boolean {
    let answered = true;
    for (const s of statuses) {
      this.names.set(s.sourceId, s.name);
      if (s.state !== 'idle') this.asked.add(s.sourceId);
      if (!FAILED_STATES.has(s.state)) continue;
      answered = false;
      const e = s.error;
      const reason: Omit<FailureReason, 'count'> = {
        state: s.state,
        ...(e && { code: e.code, message: e.message }),
        ...(e?.status !== undefined && { status: e.status }),
        ...(e?.timeoutMs !== undefined && { timeoutMs: e.timeoutMs }),
      };
      const key = JSON.stringify(reason);
      let bySource = this.#failures.get(s.sourceId);
      if (!bySource) this.#failures.set(s.sourceId, (bySource = new Map()));
      const seen = bySource.get(key);
      if (seen) seen.count++;
      else bySource.set(key, { ...reason, count: 1 });
    }
    return answered;
  }

  /** Files a search's answer: a single candidate joins (or becomes) the person its records belong to. */
  searched(query: string, candidates: readonly PatientCandidate[], allAnswered: boolean): void {
    if (candidates.length !== 1) {
      const outcome = candidates.length > 1 ? 'several' : allAnswered ? 'no-match' : 'search-failed';
      this.queries.push({ query, outcome, matches: candidates.length });
      return;
    }
    const refs = candidates[0]!.refs;
    const known = [...new Set(refs.map((r) => this.#personOfRef.get(refKey(r))).filter((p) => p !== undefined))].sort((a, b) => a - b);
    let person = known[0];
    if (person === undefined) {
      person = this.#people.length;
      this.#people.push(new Map());
    }
    // One search may link records two earlier searches saw apart: they are one person now.
    for (const other of known.slice(1)) this.#merge(other, person);
    for (const r of refs) {
      this.#people[person]!.set(refKey(r), r);
      this.#personOfRef.set(refKey(r), person);
    }
    this.queries.push({ query, outcome: 'checked', matches: 1, person });
  }

  #merge(from: number, into: number): void {
    for (const [key, ref] of this.#people[from]!) {
      this.#people[into]!.set(key, ref);
      this.#personOfRef.set(key, into);
    }
    this.#people[from]!.clear();
    for (const q of this.queries) if (q.person === from) q.person = into;
  }

  /** Each person's records, numbered 1, 2 … in the order the queries first reached them. */
  people(): { person: number; refs: SourcePatientRef[] }[] {
    const live = this.#people.map((refs, i) => ({ index: i, refs: [...refs.values()] })).filter((p) => p.refs.length > 0);
    const number = new Map(live.map((p, i) => [p.index, i + 1]));
    for (const q of this.queries) if (q.person !== undefined) q.person = number.get(q.person)!;
    return live.map((p) => ({ person: number.get(p.index)!, refs: p.refs }));
  }

  /** The person's record could not be opened as this user (with a source down, often because the care relationship could not be read). */
  denied(person: number): void {
    for (const q of this.queries) if (q.person === person) q.outcome = 'access-denied';
  }

  failedSources(): FailedSource[] {
    return [...this.#failures.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sourceId, reasons]) => ({ sourceId, name: this.names.get(sourceId) ?? sourceId, reasons: [...reasons.values()] }));
  }
}

/**
 * One person's findings, each record's counted once. A value conflict is reported against every
 * source involved, in source-id order: which source's copy the timeline kept depends on which
 * answered first, so attributing it to that one would change from run to run.
 */
export function personFindings(entries: readonly { id: string; quality?: readonly QualityFinding[] }[], record: readonly QualityFinding[]) {
  const out = new Map<string, QualityFinding>();
  const add = (owner: string, f: QualityFinding) => out.set(JSON.stringify([owner, f.sourceId, f.code, f.field, f.params ?? {}]), f);
  for (const e of entries)
    for (const f of e.quality ?? []) {
      if (f.code !== 'value-conflict') {
        add(e.id, f);
        continue;
      }
      const involved = [...new Set([f.sourceId, ...(f.params?.sources ?? '').split(',').filter((s) => s !== '')])].sort();
      const params = { ...f.params, sources: involved.join(',') };
      for (const sourceId of involved) add(e.id, { ...f, sourceId, params });
    }
  for (const f of record) add('', f);
  return [...out.values()];
}
