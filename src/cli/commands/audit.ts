import { AuditError, readAuditEvents, verifyAuditLog, type AuditFilter, type AuditKeys, type AuditProblem, type AuditRecord } from '../../main/services/audit/index.ts';
import { auditDirectoryOf } from '../../main/services/workstation/open-audit-trail.ts';
import type { AuditConfig } from '../../shared/config/audit.ts';
import type { CacheConfig } from '../../shared/config/cache.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

/** Exit codes of the audit commands, beside the shared ones (0 ok, 2 usage). */
export const AUDIT_EXIT = {
  /** The log was tampered with or damaged: verify found problems. */
  tampered: EXIT.auditTampered,
  /** The log could not be checked at all: wrong keys, or no log where the configuration points. */
  cannotVerify: EXIT.auditCannotVerify,
} as const;

/** How the keys are unlocked is the caller's choice (OS key store, passphrase from the environment). */
export type OpenAuditKeys = () => Promise<AuditKeys>;

/** The parts of the configuration the audit commands read. */
export interface AuditCommandConfig {
  audit?: AuditConfig;
  cache?: CacheConfig;
}

export { auditDirectoryOf };

function cannotVerify(error: unknown): never {
  if (error instanceof AuditError) throw new CliError(error.message, AUDIT_EXIT.cannotVerify);
  throw error;
}

function problemLine(p: AuditProblem): string {
  return `  line ${p.line}${p.seq !== undefined ? ` (seq ${p.seq})` : ''}: ${p.kind} — ${p.message}`;
}

/** `huizhen audit verify`: every line, the chain and the anchor; exit 5 and where, when tampered. */
export async function auditVerify(config: AuditCommandConfig, io: CliIo, json: boolean, openKeys: OpenAuditKeys): Promise<number> {
  const directory = auditDirectoryOf(config);
  const result = await verifyAuditLog(directory, await openKeys()).catch(cannotVerify);
  if (json) {
    io.out(JSON.stringify({ directory, ...result }, null, 2));
  } else if (result.ok) {
    io.out(`ok  audit log ${directory}: ${result.events} events; chain, MACs and anchor verified`);
  } else {
    io.out(`TAMPERED  audit log ${directory}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${result.lines} lines (${result.events} events verify)`);
    for (const p of result.problems) io.out(problemLine(p));
  }
  return result.ok ? EXIT.ok : AUDIT_EXIT.tampered;
}

function eventLine(record: AuditRecord): string {
  const e = record.event;
  const who = e.user ? `${e.user.displayName} <${e.user.id}>` : `(attempted: ${e.attemptedUser ?? '?'})`;
  const patient = e.patient ? ` patient ${e.patient.refs.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join(',')}` : '';
  const entity = e.entity ? ` ${e.entity.type}${e.entity.id ? ` ${e.entity.id}` : ''}${e.entity.detail ? ` "${e.entity.detail}"` : ''}` : '';
  const reason = e.reason ? ` reason "${e.reason}"` : '';
  return `${String(record.seq).padStart(6)}  ${e.at}  ${e.action} ${e.outcome}  ${who} @${e.workstation}${patient}${entity}${reason}`;
}

/**
 * `huizhen audit list`: the decrypted events (they name patients: for the privacy officer's
 * terminal). Lines that do not authenticate are left out, with a warning; exit 5 then.
 */
export async function auditList(config: AuditCommandConfig, io: CliIo, json: boolean, openKeys: OpenAuditKeys, filter: AuditFilter = {}): Promise<number> {
  const directory = auditDirectoryOf(config);
  const listing = await readAuditEvents(directory, await openKeys(), filter).catch(cannotVerify);
  if (json) {
    io.out(JSON.stringify({ directory, events: listing.events, problems: listing.problems }, null, 2));
  } else {
    for (const record of listing.events) io.out(eventLine(record));
    io.out(`${listing.events.length} event${listing.events.length === 1 ? '' : 's'}`);
  }
  if (listing.problems.length > 0) {
    io.err(`warning: the audit log has ${listing.problems.length} problem${listing.problems.length === 1 ? '' : 's'}; run "huizhen audit verify"`);
    return AUDIT_EXIT.tampered;
  }
  return EXIT.ok;
}

