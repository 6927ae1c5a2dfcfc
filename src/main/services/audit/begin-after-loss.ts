/**
 * The one deliberate way past a witnessed head: once a tampered or lost log has been examined
 * and its folder moved aside, an administrator begins a new log. The new log's first event says
 * what the key store recorded of the old one, so the loss stays on the record it cannot erase.
 */
import { readdir } from 'node:fs/promises';
import { AuditError } from './audit-error.ts';
import { GENESIS_HASH } from './audit-line.ts';
import { openAuditLog, type AppendedEvent } from './audit-log.ts';
import type { AuditKeys } from './audit-keys.ts';
import { newLogId } from './anchor.ts';
import type { HeadWitness, WitnessedHead } from './head-witness.ts';
import { ANCHOR_FILE, LOG_FILE } from './log-files.ts';

export interface NewLogReport {
  logId: string;
  /** What the witness recorded of the log left behind, if anything. */
  previous: WitnessedHead | undefined;
  first: AppendedEvent;
}

async function holdsALog(directory: string): Promise<boolean> {
  try {
    const names = await readdir(directory);
    return names.includes(LOG_FILE) || names.includes(ANCHOR_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new AuditError(
      'io',
      `the audit folder ${directory} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
}

export async function beginAuditLogAfterLoss(
  directory: string,
  keys: AuditKeys,
  witness: HeadWitness,
  who: { attemptedUser: string; workstation: string; at: string },
): Promise<NewLogReport> {
  if (await holdsALog(directory)) {
    throw new AuditError(
      'not-empty',
      `${directory} still holds an audit log: verify it, move the folder aside (keep it as evidence), then begin a new log`,
    );
  }
  const reading = witness.read();
  const previous = reading.state === 'read' ? reading.head : undefined;
  // Recording a log with no events lets the new folder open; the witness counter keeps counting.
  const reset = witness.beginLog({ logId: newLogId(), seq: 0, hash: GENESIS_HASH });
  if (reset.kind === 'unusable' && reset.reading.state === 'edited') {
    throw new AuditError('tampered', `the audit head in ${witness.where} was edited; it cannot be replaced with these keys`);
  }
  const log = await openAuditLog(directory, keys, { witness });
  try {
    const detail = previous
      ? `new audit log begun by an administrator; ${witness.where} recorded log ${previous.logId} at seq ${previous.seq} (write ${previous.counter}), whose folder was moved aside or lost`
      : `new audit log begun by an administrator; ${witness.where} recorded no earlier log`;
    const first = await log.append({
      action: 'config-change',
      outcome: 'success',
      attemptedUser: who.attemptedUser,
      entity: { type: 'audit-log', detail },
      workstation: who.workstation,
      at: who.at,
    });
    return { logId: log.logId, previous, first };
  } finally {
    await log.close();
  }
}
