import { stat } from 'node:fs/promises';
import { AuditError } from './audit-error.ts';
import type { AuditAction, AuditRecord } from './audit-event.ts';
import { assertAuditKeys, type AuditKeys } from './audit-keys.ts';
import { readAnchor, type AnchorState } from './anchor.ts';
import { analyzeLog, type AuditProblem, type LogAnalysis } from './analyze-log.ts';
import { readRawLog } from './log-files.ts';
import type { HeadWitness } from './head-witness.ts';
import { checkAgainstRepository, checkAgainstWitness, type HeadCheck, type RepositoryCheck, type RepositoryWitness } from './check-head.ts';

export interface AuditVerification {
  ok: boolean;
  /** Events that authenticate and decrypt. */
  events: number;
  lines: number;
  problems: AuditProblem[];
  /** How the log's end was checked beyond its own anchor: what caught a wipe or a rollback, or why it could not. */
  head: { witness: HeadCheck; repository: RepositoryCheck };
}

export interface VerifyOptions {
  /** The head kept beside the cache's key material (src/main/services/audit-trail wires it). */
  witness?: HeadWitness;
  /** The hospital's audit repository, asked whether it holds events past the log's end. */
  repository?: RepositoryWitness;
}

interface DirectoryAnalysis extends LogAnalysis {
  anchor: AnchorState;
}

async function analyzeDirectory(directory: string, keys: AuditKeys, witness?: HeadWitness): Promise<DirectoryAnalysis> {
  assertAuditKeys(keys);
  try {
    await stat(directory);
  } catch (error) {
    const reading = witness?.read();
    // A folder gone where a log was witnessed is the wipe itself, not "nothing to check".
    if (reading?.state !== 'read' || reading.head.seq === 0) {
      throw new AuditError('io', `no audit log at ${directory} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    const anchor: AnchorState = { state: 'missing' };
    return { ...analyzeLog(directory, [], anchor, keys), anchor };
  }
  try {
    const [raw, anchor] = await Promise.all([readRawLog(directory), readAnchor(directory, keys.mac)]);
    return { ...analyzeLog(directory, raw.lines, anchor, keys), anchor };
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError(
      'io',
      `the audit log at ${directory} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Checks every line, the chain and the anchor, then the log's end against the heads witnessed
 * outside the folder; says where each problem is and how it was found. Throws only for wrong keys
 * or an unreadable directory (a missing one that nothing witnessed).
 */
export async function verifyAuditLog(directory: string, keys: AuditKeys, options: VerifyOptions = {}): Promise<AuditVerification> {
  const analysis = await analyzeDirectory(directory, keys, options.witness);
  const witnessed = checkAgainstWitness(analysis, analysis.anchor, options.witness);
  const repository = await checkAgainstRepository(analysis, analysis.anchor, witnessed.head, options.repository);
  const problems = [...analysis.problems, ...witnessed.problems, ...repository.problems];
  return {
    ok: problems.length === 0,
    events: analysis.records.length,
    lines: analysis.lineCount,
    problems,
    head: { witness: witnessed.check, repository: repository.check },
  };
}

export interface AuditFilter {
  fromSeq?: number;
  toSeq?: number;
  /** ISO instants, inclusive. */
  since?: string;
  until?: string;
  actions?: readonly AuditAction[];
  userId?: string;
  /** Events about this system record of a patient. */
  patient?: { sourceId: string; sourcePatientId: string };
  /** The newest `limit` events that match. */
  limit?: number;
}

function matches(record: AuditRecord, filter: AuditFilter): boolean {
  const { event } = record;
  if (filter.fromSeq !== undefined && record.seq < filter.fromSeq) return false;
  if (filter.toSeq !== undefined && record.seq > filter.toSeq) return false;
  if (filter.since !== undefined && Date.parse(event.at) < Date.parse(filter.since)) return false;
  if (filter.until !== undefined && Date.parse(event.at) > Date.parse(filter.until)) return false;
  if (filter.actions && !filter.actions.includes(event.action)) return false;
  if (filter.userId !== undefined && event.user?.id !== filter.userId) return false;
  const wanted = filter.patient;
  if (wanted && !event.patient?.refs.some((r) => r.sourceId === wanted.sourceId && r.sourcePatientId === wanted.sourcePatientId))
    return false;
  return true;
}

export interface AuditListing {
  /** Oldest first. */
  events: AuditRecord[];
  /** What keeps the listing from being the whole story (run verify for the full report). */
  problems: AuditProblem[];
}

/** Decrypted events that authenticate, filtered; lines that do not are left out and named in `problems`. */
export async function readAuditEvents(directory: string, keys: AuditKeys, filter: AuditFilter = {}): Promise<AuditListing> {
  const analysis = await analyzeDirectory(directory, keys);
  const matching = analysis.records.filter((r) => matches(r, filter)).map(({ seq, hash, event }) => ({ seq, hash, event }));
  const events = filter.limit !== undefined ? matching.slice(Math.max(0, matching.length - filter.limit)) : matching;
  return { events, problems: analysis.problems };
}
