import type { SessionEvent } from '../auth/index.ts';
import { auditUserOf as auditUser } from './audit-port.ts';
import type { Gate } from './secured-api-gate.ts';

/** Audits every session event; a sign-out also closes the user's patients and ends their grants. */
export function onSessionEvent(gate: Gate, event: SessionEvent): void {
  switch (event.type) {
    case 'login':
      gate.recordQuietly({
        action: 'login',
        outcome: 'success',
        user: auditUser(event.user),
        entity: { type: 'session', detail: event.method },
      });
      return;
    case 'login-failed':
      gate.recordQuietly({
        action: 'login-failed',
        outcome: 'failure',
        attemptedUser: event.attemptedUser,
        entity: { type: 'session', detail: `${event.method}: ${event.message}` },
      });
      return;
    case 'logout':
      gate.closeAllOf(event.user.id);
      gate.candidates.clear();
      gate.shown.forget(event.user.id);
      gate.grants.revokeUser(event.user.id);
      gate.options.onSignOut?.();
      gate.recordQuietly({
        action: 'logout',
        outcome: 'success',
        user: auditUser(event.user),
        entity: { type: 'session', detail: event.cause },
      });
      return;
    case 'locked':
      gate.recordQuietly({
        action: 'session-locked',
        outcome: 'success',
        user: auditUser(event.user),
        entity: { type: 'session', detail: event.cause },
      });
      return;
    case 'unlocked':
      gate.recordQuietly({
        action: 'login',
        outcome: 'success',
        user: auditUser(event.user),
        entity: { type: 'session', detail: 'unlock' },
      });
      return;
    case 'privacy-mode':
      gate.recordQuietly({
        action: 'config-change',
        outcome: 'success',
        user: auditUser(event.user),
        entity: { type: 'privacy-mode', detail: event.enabled ? 'on' : 'off' },
      });
      gate.remaskOpensOf(event.user);
      return;
  }
}
