import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { User } from '../../../shared/domain/user.ts';
import { AccessDeniedError } from './access-errors.ts';
import { auditUserOf as auditUser } from './audit-port.ts';
import type { Gate } from './secured-api-gate.ts';

const same = (x: SourcePatientRef, y: SourcePatientRef) => x.sourceId === y.sourceId && x.sourcePatientId === y.sourcePatientId;

/**
 * A link decision is taken only on two records the screen showed this user as one patient: one
 * open patient, a search result (to confirm), or a pair decided before (relinking an unlink). Otherwise a
 * clinician's tab could "confirm" a stranger's record into a patient under their care and open
 * both on that patient's grounds — or unlink records another clinician then misses (an allergy).
 */
export async function requireOfferedPair(
  gate: Gate,
  user: User,
  { a, b }: { a: SourcePatientRef; b: SourcePatientRef },
  action: 'link' | 'unlink',
): Promise<void> {
  const holdsBoth = (refs: readonly SourcePatientRef[]) => refs.some((r) => same(r, a)) && refs.some((r) => same(r, b));
  // Confirming is offered on search results too; unlinking only in an open patient's banner.
  if (action === 'link' && [...gate.candidates.values()].some((c) => holdsBoth(c.refs))) return;
  const opens = [...gate.opens.values()].filter((o) => o.userId === user.id);
  if (opens.some((o) => holdsBoth(o.refs) || (o.candidate !== undefined && holdsBoth(o.candidate.refs)))) return;
  // Relinking what was unlinked: offered in the banner of a patient holding one of the two.
  if (gate.shown.wasShown(user.id, a) || gate.shown.wasShown(user.id, b)) {
    const { decisions } = await gate.options.core.handlers.listLinkDecisions({ refs: [a] });
    if (decisions.some((d) => (same(d.a, a) && same(d.b, b)) || (same(d.a, b) && same(d.b, a)))) return;
  }
  await gate.record({
    action: 'access-denied',
    outcome: 'denied',
    user: auditUser(user),
    patient: { refs: [a, b] },
    entity: { type: 'Patient', detail: `${action}: not-offered-as-one-patient` },
  });
  throw new AccessDeniedError(
    'these two records were not shown to you as one patient; search for the patient and decide on the result',
    false,
    'not-one-person',
  );
}

/**
 * The link decisions a banner lists name records and who decided: only for records the screen
 * showed this user (a search result, a worklist row, an open), or a tab could walk the
 * workstation's decisions for any record id.
 */
export async function requireShownRecords(gate: Gate, user: User, refs: readonly SourcePatientRef[]): Promise<void> {
  const unseen = gate.shown.notShown(user.id, refs);
  if (unseen.length === 0) return;
  await gate.record({
    action: 'access-denied',
    outcome: 'denied',
    user: auditUser(user),
    patient: { refs: [...refs] },
    entity: { type: 'Patient', detail: `link-decisions: not-shown; ${unseen.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join(',')}` },
  });
  throw new AccessDeniedError('these records were not shown to you; search for the patient first', false, 'not-shown');
}
