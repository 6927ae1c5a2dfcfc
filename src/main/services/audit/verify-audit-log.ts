import { stat } from 'node:fs/promises';
import { AuditError } from './audit-error.ts';
import type { AuditAction, AuditRecord } from './audit-event.ts';
import { assertAuditKeys, type AuditKeys } from './audit-keys.ts';
import { readAnchor } from './anchor.ts';
import { analyzeLog, type AuditProblem, type LogAnalysis } from './analyze-log.ts';
import { readRawLog } from './log-files.ts';

export interface AuditVerification {
  ok: boolean;
  /** Events that authenticate and decrypt. */
  events: number;
  lines: number;
  problems: AuditProblem[];
}

async function analyzeDirectory(directory: string, keys: AuditKeys): Promise<LogAnalysis> {
  assertAuditKeys(keys);
  try {
    await stat(directory);
  } catch (error) {
    throw new AuditError('io', `no audit log at ${directory} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  try {
    const [raw, anchor] = await Promise.all([readRawLog(directory), readAnchor(directory, keys.mac)]);
    return analyzeLog(directory, raw.lines, anchor, keys);
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError('io', `the audit log at ${directory} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

/** Checks every line, the chain and the anchor; says where each problem is. Throws only for wrong keys or an unreadable directory. */
export async function verifyAuditLog(directory: string, keys: AuditKeys): Promise<AuditVerification> {
  const analysis = await analyzeDirectory(directory, keys);
  return { ok: analysis.problems.length === 0, events: analysis.records.length, lines: analysis.lineCount, problems: analysis.problems };
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
  if (wanted && !event.patient?.refs.some((r) => r.sourceId === wanted.sourceId && r.sourcePatientId === wanted.sourcePatientId)) return false;
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
