import type { User } from '../../shared/domain/user.ts';
import { type AccessAuditEvent, auditUserOf } from '../services/access/index.ts';
import type { LinkAuditEvent } from '../services/identity/index.ts';

/** A confirm or unlink as the audit service records it, naming the signed-in user (or nobody). */
export function linkAuditEvent(event: LinkAuditEvent, user: User | undefined): AccessAuditEvent {
  return {
    action: event.action === 'unlink' ? 'identity-unlink' : 'identity-link',
    outcome: 'success',
    patient: { refs: [event.a, event.b] },
    // The clinician's note goes in the detail: `reason` is a break-the-glass reason (BTG in FHIR).
    entity: {
      type: 'Patient',
      detail: [
        event.matcher ? `matcher ${event.matcher.outcome} ${event.matcher.score.toFixed(1)}` : 'manual',
        ...(event.note ? [`note: ${event.note}`] : []),
      ].join('; '),
    },
    ...(user ? { user: auditUserOf(user) } : { attemptedUser: 'nobody' }),
  };
}
