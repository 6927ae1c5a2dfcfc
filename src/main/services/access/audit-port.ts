import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { User } from '../../../shared/domain/user.ts';

export type AuditAction =
  | 'login'
  | 'logout'
  | 'login-failed'
  | 'session-locked'
  | 'patient-search'
  | 'patient-open'
  | 'document-view'
  | 'image-view'
  | 'export'
  | 'identity-link'
  | 'identity-unlink'
  | 'break-glass'
  | 'access-denied'
  | 'config-change'
  | 'sources-check'
  | 'critical-value-acknowledge'
  | 'admin-view';

/** One thing that happened, as the access layer reports it; the audit service seals and chains it. */
export interface AccessAuditEvent {
  action: AuditAction;
  outcome: 'success' | 'failure' | 'denied';
  user?: Pick<User, 'id' | 'displayName' | 'roles'>;
  attemptedUser?: string;
  patient?: { refs: SourcePatientRef[] };
  entity?: { type: string; id?: string; detail?: string };
  reason?: string;
}

/** Who acted, as an audit event names them: no wards or practitioner id, nothing more than needed. */
export function auditUserOf(user: User): NonNullable<AccessAuditEvent['user']> {
  return { id: user.id, displayName: user.displayName, roles: user.roles };
}

/** Resolves once the event is durable; a failure means the action must not go ahead. */
export type AuditRecorder = (event: AccessAuditEvent) => Promise<void>;
