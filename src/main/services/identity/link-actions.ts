import type { Patient } from '@medplum/fhirtypes';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { createLinkDecisions, refKey, type LinkAuditEvent, type LinkDecision } from './link-decisions.ts';
import { matcherVerdict } from './matcher-verdict.ts';
import type { LinkDecisionLog } from './link-decision-log.ts';

/**
 * A confirm/unlink naming a system the workstation does not know, or a record and itself: the
 * request's fault, so the API answers it as one (not as an internal failure).
 */
export class LinkRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkRequestError';
  }
}

export interface LinkActionsOptions {
  /** Every configured source id (enabled or not): decisions about other ids are refused. */
  sourceIds: ReadonlySet<string>;
  decisions: LinkDecisionLog;
  /** Who decides, recorded in the decision and the audit event: the signed-in user at the time of the call. */
  userId: () => string;
  /** Each audit event once the decision is stored: the audit service records it. */
  onAudit?: (event: LinkAuditEvent) => void;
  /** The record as last seen, so the audit shows the matcher's verdict the user overrode. */
  patientOf?: (ref: SourcePatientRef) => Patient | undefined;
  now?: () => Date;
}

export interface LinkActions {
  confirm(a: SourcePatientRef, b: SourcePatientRef, note?: string): Promise<LinkDecision>;
  unlink(a: SourcePatientRef, b: SourcePatientRef, note?: string): Promise<LinkDecision>;
  /** Decisions naming any of these records, newest first. */
  involving(refs: readonly SourcePatientRef[]): LinkDecision[];
}

/** The clinician's confirm and unlink: checked, applied at once, remembered, then audited. */
export function createLinkActions(options: LinkActionsOptions): LinkActions {
  const pending: LinkAuditEvent[] = [];
  const decide = createLinkDecisions({
    store: options.decisions.store,
    audit: (e) => pending.push(e),
    ...(options.now ? { now: options.now } : {}),
  });

  const check = (a: SourcePatientRef, b: SourcePatientRef) => {
    for (const ref of [a, b]) {
      if (!options.sourceIds.has(ref.sourceId)) throw new LinkRequestError(`"${ref.sourceId}" is not a configured source`);
    }
    if (refKey(a) === refKey(b)) throw new LinkRequestError('a record cannot be linked to or unlinked from itself');
  };

  const matcherOn = (a: SourcePatientRef, b: SourcePatientRef) => {
    const [pa, pb] = [options.patientOf?.(a), options.patientOf?.(b)];
    return pa && pb ? matcherVerdict(pa, pb) : undefined;
  };

  async function act(
    verb: 'confirm' | 'unlink',
    a: SourcePatientRef,
    b: SourcePatientRef,
    note: string | undefined,
  ): Promise<LinkDecision> {
    check(a, b);
    const matcher = matcherOn(a, b);
    const details = { ...(note ? { note } : {}), ...(matcher ? { matcher } : {}) };
    const decision = decide[verb](a, b, options.userId(), details);
    const events = pending.splice(0);
    await options.decisions.persist(decision);
    for (const event of events) options.onAudit?.(event);
    return decision;
  }

  return {
    confirm: (a, b, note) => act('confirm', a, b, note),
    unlink: (a, b, note) => act('unlink', a, b, note),
    involving(refs) {
      const seen = new Map<string, LinkDecision>();
      for (const ref of refs) for (const d of options.decisions.store.involving(ref)) seen.set(`${refKey(d.a)}\n${refKey(d.b)}`, d);
      return [...seen.values()].sort((x, y) => y.decidedAt.localeCompare(x.decidedAt));
    },
  };
}
