import type { ApiHandlers } from '../api/index.ts';
import { ApiRequestError } from '../api/index.ts';
import type { ApiResponse } from '../../../shared/api/contract.ts';
import type { WorklistChangeReason } from '../../../shared/api/events.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { Resource } from '../../../shared/domain/fhir.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { User } from '../../../shared/domain/user.ts';
import { auditUserOf as auditUser } from './audit-port.ts';
import type { Gate } from './secured-api-gate.ts';

/** What the access layer needs of the worklist service (src/main/services/worklist). */
export interface WorklistPort {
  list(
    user: User,
    options: { from: 'cache' | 'systems'; mask: (candidates: PatientCandidate[]) => PatientCandidate[] },
  ): Promise<ApiResponse<'listWorklist'>>;
  viewed(user: User, refs: readonly SourcePatientRef[]): void;
  /**
   * The census's stays of these records, as encounters: the hospital's ADT says where the person
   * lies, so the care rule that listed a row also decides its open (read beside the records' own).
   */
  careContext?(refs: readonly SourcePatientRef[]): Resource[];
  /** A coalesced "the rows may have changed" signal (census, stored results); names no patient. */
  onChanged?(listener: (change: { reasons: WorklistChangeReason[] }) => void): () => void;
}

/**
 * Passes the worklist's change signal to whoever is signed in and may open patients: a reason
 * only, so the renderer reads the rows again through `listWorklist`, where access is decided.
 */
export function forwardWorklistChanges(gate: Gate): () => void {
  const worklist = gate.options.worklist;
  if (!worklist?.onChanged) return () => {};
  return worklist.onChanged(({ reasons }) => {
    const user = gate.session.currentUser();
    if (!user || !gate.session.isActive() || !gate.options.policy.can(user, 'open')) return;
    gate.emit({ type: 'worklist.changed', reasons });
  });
}

export type WorklistHandlers = Pick<ApiHandlers, 'listWorklist'>;

/** The ward worklist: each row's person is decided by the care rule in the worklist service, before any record is read. */
export function worklistHandlers(gate: Gate): WorklistHandlers {
  return {
    async listWorklist({ from }) {
      const user = gate.requireCapability('open');
      const worklist = gate.options.worklist;
      if (!worklist) throw new ApiRequestError('this workstation keeps no ward census');
      await gate.record({
        action: 'patient-search',
        outcome: 'success',
        user: auditUser(user),
        entity: { type: 'worklist', detail: `wards=${user.wards.join(',') || '-'}; from=${from}` },
      });
      const listed = await worklist.list(user, { from, mask: (list) => gate.options.masking.candidates(list, gate.maskLevelFor(user)) });
      // A row's banner asks for the row's records before its open is admitted: they are on this user's screen.
      gate.shown.show(
        user.id,
        listed.rows.flatMap((row) => row.refs),
      );
      return listed;
    },
  };
}
