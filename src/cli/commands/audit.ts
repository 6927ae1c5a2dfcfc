import { userInfo } from 'node:os';
import {
  AuditError,
  beginAuditLogAfterLoss,
  defaultWorkstationId,
  readAuditEvents,
  repositoryFromConfig,
  repositoryWitness,
  verifyAuditLog,
  type AuditFilter,
  type AuditKeys,
  type AuditProblem,
  type AuditRecord,
  type AuditVerification,
  type HeadWitness,
  type RepositoryWitness,
} from '../../main/services/audit/index.ts';
import { auditDirectoryOf } from '../../main/services/audit-trail/index.ts';
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

/**
 * How the keys are unlocked is the caller's choice (OS key store, passphrase from the
 * environment); with them, the log's head as witnessed beside the key material, when kept.
 */
export type OpenAuditKeys = () => Promise<AuditKeys & { witness?: HeadWitness }>;

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

/** The configured audit repository as a witness of the head; none when not configured. */
function configuredRepository(config: AuditCommandConfig): RepositoryWitness | undefined {
  const repository = config.audit?.repository;
  if (!repository) return undefined;
  const workstationId = config.audit?.workstationId ?? defaultWorkstationId();
  try {
    return repositoryWitness(repositoryFromConfig(repository), workstationId);
  } catch (error) {
    // A missing secret keeps the repository from being asked; verify says so rather than failing.
    const message = error instanceof Error ? error.message : String(error);
    return { workstationId, holds: () => Promise.reject(new Error(message)) };
  }
}

/** One line on how the log's end was checked beyond its own anchor: what would notice a wiped or restored folder. */
function headLine(head: AuditVerification['head']): string {
  const w = head.witness;
  const witness =
    w.state === 'not-kept'
      ? 'no head kept beside the key material'
      : w.state === 'unwitnessed'
        ? `no head recorded yet in ${w.where}`
        : w.state === 'agrees'
          ? `agrees with ${w.where} (seq ${w.seq}, write ${w.counter})`
          : w.state === 'damaged'
            ? `the head in ${w.where} is damaged`
            : `contradicted by ${w.where}${w.seq !== undefined ? ` (seq ${w.seq})` : ''}`;
  const r = head.repository;
  const repository =
    r.state === 'not-configured'
      ? 'no audit repository configured'
      : r.state === 'not-checked'
        ? 'audit repository not asked (no log id to ask about)'
        : r.state === 'unreachable'
          ? `audit repository not reachable (${r.message})`
          : r.state === 'agrees'
            ? `audit repository holds nothing past seq ${r.beyondSeq}`
            : `audit repository holds seq ${r.seq}`;
  return `  head: ${witness}; ${repository}`;
}

/**
 * `huizhen audit verify`: every line, the chain and the anchor, then the end of the log against
 * the head kept beside the key material and the audit repository; exit 5 and where, when tampered.
 */
export async function auditVerify(
  config: AuditCommandConfig,
  io: CliIo,
  json: boolean,
  openKeys: OpenAuditKeys,
  repository = configuredRepository(config),
): Promise<number> {
  const directory = auditDirectoryOf(config);
  const { witness, ...keys } = await openKeys().catch(cannotVerify);
  const result = await verifyAuditLog(directory, keys, { ...(witness ? { witness } : {}), ...(repository ? { repository } : {}) }).catch(
    cannotVerify,
  );
  if (json) {
    io.out(JSON.stringify({ directory, ...result }, null, 2));
  } else if (result.ok) {
    io.out(`ok  audit log ${directory}: ${result.events} events; chain, MACs and anchor verified`);
    io.out(headLine(result.head));
  } else {
    io.out(
      `TAMPERED  audit log ${directory}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${result.lines} lines (${result.events} events verify)`,
    );
    for (const p of result.problems) io.out(problemLine(p));
    io.out(headLine(result.head));
  }
  return result.ok ? EXIT.ok : AUDIT_EXIT.tampered;
}

function eventLine(record: AuditRecord): string {
  const e = record.event;
  const who = e.user ? `${e.user.displayName} <${e.user.id}>` : `(attempted: ${e.attemptedUser ?? '?'})`;
  const patient = e.patient ? ` patient ${e.patient.refs.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join(',')}` : '';
  const entity = e.entity
    ? ` ${e.entity.type}${e.entity.id ? ` ${e.entity.id}` : ''}${e.entity.detail ? ` "${e.entity.detail}"` : ''}`
    : '';
  const reason = e.reason ? ` reason "${e.reason}"` : '';
  return `${String(record.seq).padStart(6)}  ${e.at}  ${e.action} ${e.outcome}  ${who} @${e.workstation}${patient}${entity}${reason}`;
}

/**
 * `huizhen audit list`: the decrypted events (they name patients: for the privacy officer's
 * terminal). Lines that do not authenticate are left out, with a warning; exit 5 then.
 */
export async function auditList(
  config: AuditCommandConfig,
  io: CliIo,
  json: boolean,
  openKeys: OpenAuditKeys,
  filter: AuditFilter = {},
): Promise<number> {
  const directory = auditDirectoryOf(config);
  const listing = await readAuditEvents(directory, await openKeys(), filter).catch(cannotVerify);
  if (json) {
    io.out(JSON.stringify({ directory, events: listing.events, problems: listing.problems }, null, 2));
  } else {
    for (const record of listing.events) io.out(eventLine(record));
    io.out(`${listing.events.length} event${listing.events.length === 1 ? '' : 's'}`);
  }
  if (listing.problems.length > 0) {
    io.err(
      `warning: the audit log has ${listing.problems.length} problem${listing.problems.length === 1 ? '' : 's'}; run "huizhen audit verify"`,
    );
    return AUDIT_EXIT.tampered;
  }
  return EXIT.ok;
}

/** Keys and a writable head, with the key store held open while `use` runs. */
export type WithAuditKeyStore = <T>(use: (keys: AuditKeys, witness: HeadWitness) => Promise<T>) => Promise<T>;

/**
 * `huizhen audit new-log`: after a tampered or lost log was examined and its folder moved aside,
 * begins a new one past the head the key store holds; its first event records that head.
 */
export async function auditNewLog(config: AuditCommandConfig, io: CliIo, json: boolean, withKeyStore: WithAuditKeyStore): Promise<number> {
  const directory = auditDirectoryOf(config);
  const who = {
    attemptedUser: `system:${userInfo().username}`,
    workstation: config.audit?.workstationId ?? defaultWorkstationId(),
    at: new Date().toISOString(),
  };
  const report = await withKeyStore((keys, witness) => beginAuditLogAfterLoss(directory, keys, witness, who)).catch((error: unknown) => {
    if (error instanceof AuditError && error.code === 'not-empty') throw new CliError(error.message, EXIT.usage);
    return cannotVerify(error);
  });
  if (json) {
    io.out(JSON.stringify({ directory, ...report }, null, 2));
  } else {
    const previous = report.previous
      ? `; it supersedes log ${report.previous.logId}, recorded at seq ${report.previous.seq} (keep its folder as evidence)`
      : '';
    io.out(`new audit log ${report.logId} begun in ${directory}${previous}`);
  }
  return EXIT.ok;
}
