import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../../../shared/api/contract.ts';
import type { PatientAccess } from '../../../shared/api/session.ts';
import type { User } from '../../../shared/domain/user.ts';
import type { ValidatedRequest } from '../api/index.ts';
import { ApiRequestError } from '../api/index.ts';
import { AccessDeniedError } from './access-errors.ts';
import { auditUserOf as auditUser } from './audit-port.ts';
import type { PersonAccessDecision } from './person-access.ts';
import { refsKey, type Gate, type OpenPatient } from './secured-api-gate.ts';

/** Refused (and audited) when nothing gives this user grounds for the person. */
async function refuseOutsideCare(gate: Gate, user: User, refs: OpenPatient['refs']): Promise<never> {
  await gate.record({
    action: 'access-denied',
    outcome: 'denied',
    user: auditUser(user),
    patient: { refs },
    entity: { type: 'Patient', detail: 'open: outside-care' },
  });
  throw new AccessDeniedError(
    'this patient is not on your wards and you are not recorded as treating them; in an emergency, break the glass with a reason',
    gate.options.policy.can(user, 'break-glass'),
    'outside-care',
  );
}

function groundsOf(gate: Gate, user: User, decision: PersonAccessDecision): PatientAccess {
  return {
    basis: decision.basis,
    ...(decision.grant ? { until: new Date(decision.grant.until).toISOString(), reason: decision.grant.reason } : {}),
    withheldTypes: [],
    masked: gate.maskLevelFor(user) !== 'none',
    maskLevel: gate.maskLevelFor(user),
  };
}

/** Audited before anything is fetched: an access that cannot be recorded does not happen. */
function recordOpen(gate: Gate, user: User, decision: PersonAccessDecision, grounds: PatientAccess): Promise<void> {
  const notCovered = decision.uncovered.length
    ? `; not covered, not fetched: ${decision.uncovered.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join(',')}`
    : '';
  return gate.record({
    action: 'patient-open',
    outcome: 'success',
    user: auditUser(user),
    patient: { refs: decision.covered },
    entity: { type: 'Patient', detail: `basis=${decision.basis}${notCovered}` },
    ...(grounds.reason ? { reason: grounds.reason } : {}),
  });
}

/** The fan-out for the covered records only; dropped again if the patient closed or the session ended meanwhile. */
async function fetchAdmitted(gate: Gate, user: User, viewId: string, open: OpenPatient) {
  const { core } = gate.options;
  gate.opens.set(viewId, open);
  let result;
  try {
    result = await core.handlers.openPatient({ refs: open.refs, viewId });
  } catch (error) {
    if (gate.opens.get(viewId) === open) gate.opens.delete(viewId);
    throw error;
  }
  if (gate.opens.get(viewId) !== open || gate.session.currentUser()?.id !== user.id) {
    if (gate.opens.get(viewId) === open) gate.opens.delete(viewId);
    await core.handlers.closePatient({ viewId });
    throw new ApiRequestError('the patient was closed or the session ended while it opened');
  }
  return result;
}

/** Opening a patient: one person, grounds decided, audited, and only then fetched. */
export async function openPatient(
  gate: Gate,
  { refs: requestedRefs, viewId: requested }: ValidatedRequest<'openPatient'>,
): Promise<ApiResponse<'openPatient'>> {
  const user = gate.requireCapability('open');
  // 1. One person, as the identity service vouches: never an arbitrary list from the renderer.
  const refs = await gate.requireOnePerson(user, requestedRefs, 'open');
  // 2. The grounds for that person, from their care context (read, not kept) and grants, per record.
  const decision = await gate.decideForPerson(user, refs);
  if (!decision) return refuseOutsideCare(gate, user, refs);
  if (gate.session.currentUser()?.id !== user.id || !gate.session.isActive())
    throw new ApiRequestError('the session ended while the patient opened');
  const grounds = groundsOf(gate, user, decision);
  // 3. Audited before anything is fetched.
  await recordOpen(gate, user, decision, grounds);
  // 4. Only now the fan-out, and only for the covered records.
  const viewId = requested ?? randomUUID();
  const candidate = gate.candidates.get(refsKey(requestedRefs));
  const open: OpenPatient = { userId: user.id, refs: decision.covered, access: grounds, entries: [], ...(candidate ? { candidate } : {}) };
  gate.shown.show(user.id, decision.covered);
  const result = await fetchAdmitted(gate, user, viewId, open);
  open.entries = result.entries;
  gate.options.worklist?.viewed(user, decision.covered);
  const shownCandidate = candidate ? gate.options.masking.candidates([candidate], gate.maskLevelFor(user))[0] : undefined;
  return {
    ...result,
    entries: gate.present(user, result.entries),
    access: gate.accessView(user, grounds, result.entries),
    ...(shownCandidate ? { candidate: shownCandidate } : {}),
  };
}
