import { z } from 'zod';
import { SourcePatientRefSchema, type SourcePatientRef } from '../../../shared/domain/source.ts';

/**
 * A clinician's verdict on two records: it overrides the matcher for that pair from then on.
 * Schema-checked because the cache persists decisions and reads them back.
 */
export const LinkDecisionSchema = z.object({
  a: SourcePatientRefSchema,
  b: SourcePatientRefSchema,
  verdict: z.enum(['confirmed', 'unlinked']),
  decidedBy: z.string().min(1),
  decidedAt: z.string().min(1),
  note: z.string().optional(),
});
export type LinkDecision = z.infer<typeof LinkDecisionSchema>;

/** Where decisions are remembered. The in-memory one serves until the cache persists them. */
export interface LinkDecisionStore {
  get(a: SourcePatientRef, b: SourcePatientRef): LinkDecision | undefined;
  put(decision: LinkDecision): void;
  /** Every decision that names this record. */
  involving(ref: SourcePatientRef): LinkDecision[];
}

export function refKey(ref: SourcePatientRef): string {
  return `${ref.sourceId}/${ref.sourcePatientId}`;
}

/** Order-independent: a decision about (a, b) is the same decision about (b, a). */
export function pairKey(a: SourcePatientRef, b: SourcePatientRef): string {
  const [x, y] = [refKey(a), refKey(b)].sort();
  return `${x}\n${y}`;
}

export function createInMemoryLinkDecisionStore(initial: readonly LinkDecision[] = []): LinkDecisionStore {
  const byPair = new Map<string, LinkDecision>();
  const byRef = new Map<string, Set<string>>();
  const store: LinkDecisionStore = {
    get: (a, b) => byPair.get(pairKey(a, b)),
    put(decision) {
      const parsed = LinkDecisionSchema.parse(decision);
      const key = pairKey(parsed.a, parsed.b);
      byPair.set(key, parsed);
      for (const ref of [parsed.a, parsed.b]) {
        const keys = byRef.get(refKey(ref)) ?? new Set<string>();
        keys.add(key);
        byRef.set(refKey(ref), keys);
      }
    },
    involving: (ref) => [...(byRef.get(refKey(ref)) ?? [])].map((k) => byPair.get(k)!),
  };
  for (const d of initial) store.put(d);
  return store;
}

/** What the audit service records for each decision (it is injected; it comes later). */
export interface LinkAuditEvent {
  action: 'link-confirm' | 'unlink';
  a: SourcePatientRef;
  b: SourcePatientRef;
  by: string;
  at: string;
  note?: string;
  /** What the matcher had said, so the log shows what the user overrode. */
  matcher?: { outcome: string; score: number };
}

export interface DecisionDetails {
  note?: string;
  matcher?: { outcome: string; score: number };
}

export interface LinkDecisions {
  confirm(a: SourcePatientRef, b: SourcePatientRef, by: string, details?: DecisionDetails): LinkDecision;
  unlink(a: SourcePatientRef, b: SourcePatientRef, by: string, details?: DecisionDetails): LinkDecision;
}

/** The user actions: each one is remembered, then audited. */
export function createLinkDecisions(deps: {
  store: LinkDecisionStore;
  audit: (event: LinkAuditEvent) => void;
  now?: () => Date;
}): LinkDecisions {
  const now = deps.now ?? (() => new Date());
  const decide = (
    verdict: LinkDecision['verdict'],
    a: SourcePatientRef,
    b: SourcePatientRef,
    by: string,
    details: DecisionDetails = {},
  ): LinkDecision => {
    const at = now().toISOString();
    const decision = LinkDecisionSchema.parse({ a, b, verdict, decidedBy: by, decidedAt: at, note: details.note });
    if (refKey(decision.a) === refKey(decision.b)) throw new RangeError('a record cannot be linked to itself');
    deps.store.put(decision);
    deps.audit({
      action: verdict === 'confirmed' ? 'link-confirm' : 'unlink',
      a: decision.a,
      b: decision.b,
      by,
      at,
      note: details.note,
      matcher: details.matcher,
    });
    return decision;
  };
  return {
    confirm: (a, b, by, details) => decide('confirmed', a, b, by, details),
    unlink: (a, b, by, details) => decide('unlinked', a, b, by, details),
  };
}
