import type { HealthRange, SourceHealthResponse, ConfigurationView } from '../../../shared/api/admin-console.ts';
import { ConfigurationViewSchema, SourceHealthResponseSchema } from '../../../shared/api/admin-console.ts';
import type { User } from '../../../shared/domain/user.ts';
import { resafeErrorInfo } from '../../../adapters/safe-error-info.ts';
import type { ApiHandlers } from '../api/index.ts';
import { AccessDeniedError, ApiRequestError } from '../api/index.ts';
import { auditUserOf as auditUser, type AccessAuditEvent } from './audit-port.ts';
import type { Gate } from './secured-api-gate.ts';

/** What the access layer needs to serve the administrator's console; composition builds it from the services. */
export interface AdminConsolePort {
  sourceHealth(range: HealthRange): Omit<SourceHealthResponse, 'now'>;
  configuration(): Promise<ConfigurationView>;
}

export type AdminHandlers = Pick<ApiHandlers, 'adminSourceHealth' | 'adminConfiguration'>;

/**
 * The administrator's console: the role is decided here, before anything is read, and a refusal
 * is audited too (a clinician probing the console from devtools is worth an auditor's look).
 * Every panel a console opens is on the record, with what was asked.
 */
export async function requireAdmin(gate: Gate, what: string, about?: AccessAuditEvent['patient']): Promise<User> {
  let user: User;
  try {
    user = gate.requireCapability('admin-console');
  } catch (error) {
    const who = gate.session.currentUser();
    if (error instanceof AccessDeniedError && who) {
      await gate.record({
        action: 'access-denied',
        outcome: 'denied',
        user: auditUser(who),
        entity: { type: 'admin-console', detail: what },
      });
    }
    throw error;
  }
  await gate.record({
    action: 'admin-view',
    outcome: 'success',
    user: auditUser(user),
    ...(about ? { patient: about } : {}),
    entity: { type: 'admin-console', detail: what },
  });
  return user;
}

/** The console's Sources and Configuration panels. */
export function adminHandlers(gate: Gate): AdminHandlers {
  const consoleOf = () => {
    const port = gate.options.adminConsole;
    if (!port) throw new ApiRequestError('this workstation has no administrator console');
    return port;
  };
  return {
    async adminSourceHealth({ range }) {
      const recorded = requireAdmin(gate, `sources range=${range}`);
      try {
        gate.requireCapability('admin-console');
      } catch {
        // Refused: requireAdmin audits the refusal and rejects with it; nothing is read.
        await recorded;
      }
      // The read runs while the audit event is made durable (fsync'd line, then the anchor), so the
      // console's first answer waits for the longer of the two, not their sum; nothing leaves main before both.
      const [, health, { sources }] = await Promise.all([
        recorded,
        Promise.resolve().then(() => consoleOf().sourceHealth(range)),
        gate.options.core.handlers.listSources({}),
      ]);
      // Through the contract's schema: only counts and codes leave main. Each last error is rebuilt
      // from its parameters once more, so no free text reaches the console whoever made the status.
      const now = sources.map((s) => (s.error ? { ...s, error: resafeErrorInfo(s.error) } : s));
      return SourceHealthResponseSchema.parse({ ...health, now });
    },
    async adminConfiguration() {
      await requireAdmin(gate, 'configuration');
      return ConfigurationViewSchema.parse(await consoleOf().configuration());
    },
  };
}
