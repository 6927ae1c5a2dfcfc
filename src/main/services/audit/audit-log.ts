/**
 * The append side of the audit log. Appends run one at a time; each line is fsync'd and the
 * anchor replaced before the promise resolves, so an acknowledged event survives a crash. Opening
 * repairs what a crash can leave (a torn last line, an anchor one line behind) and refuses what
 * only tampering leaves, because appending would bury the evidence.
 */
import { chmod, mkdir, open as openFile, type FileHandle } from 'node:fs/promises';
import { syncDirectory } from '../durable-files/index.ts';
import { AuditError } from './audit-error.ts';
import { AuditEventInputSchema, type AuditEventInput } from './audit-event.ts';
import { assertAuditKeys, type AuditKeys } from './audit-keys.ts';
import { buildLine, checkLine, GENESIS_HASH, parseLine, serializeLine, type AuditLine } from './audit-line.ts';
import { newLogId, readAnchor, writeAnchor } from './anchor.ts';
import { judgeAnchor } from './anchor-verdict.ts';
import { logPath, readLogTail } from './log-files.ts';
import { quarantineTornTail } from './quarantine-tail.ts';
import type { HeadWitness } from './head-witness.ts';
import { judgeWitness } from './witness-verdict.ts';
import { readRecordsAfter, type RecordsAfter } from './records-after.ts';

export interface AuditLogOpenReport {
  /** Torn tails moved aside (never deleted): a crash interrupted an append that was never acknowledged. */
  quarantined: { movedTo: string; bytes: number }[];
  /** The anchor was one line behind (a crash between appending and updating it) and was brought up to date. */
  anchorRepaired: boolean;
}

export interface AppendedEvent {
  seq: number;
  hash: string;
}

export interface AuditLog {
  readonly directory: string;
  /** Random id of this log, fixed at creation; part of forwarded AuditEvent ids. */
  readonly logId: string;
  readonly openReport: AuditLogOpenReport;
  /** Seq of the last appended event (0 for an empty log). */
  lastSeq(): number;
  /** Resolves once the event is on disk (fsync'd) and the anchor covers it. */
  append(event: AuditEventInput): Promise<AppendedEvent>;
  /** Authentic events after `seq`, oldest first; `hint` is a byte offset where seq+1 starts, if known. */
  recordsAfter(seq: number, limit: number, hint?: number): Promise<RecordsAfter>;
  /** Told the seq of every appended event (the forwarder's wake-up). */
  onAppend(listener: (seq: number) => void): () => void;
  /** Waits for appends in flight; later appends are refused. */
  close(): Promise<void>;
}

export interface OpenAuditLogOptions {
  /** Problems worth an administrator's attention that do not stop the log (an anchor write failing). */
  log?: (line: string) => void;
  now?: () => Date;
  /**
   * The head kept outside the folder (beside the cache's key material). With it, a folder that
   * is empty, older or another log than the one witnessed is refused, and every append moves it on.
   */
  witness?: HeadWitness;
}

interface Head {
  seq: number;
  hash: string;
  size: number;
}

function tampered(directory: string, what: string): AuditError {
  return new AuditError(
    'tampered',
    `the audit log at ${directory} ${what}; run "huizhen audit verify" and move the folder aside to start a new log`,
  );
}

function authenticLine(keys: AuditKeys, text: string): AuditLine | undefined {
  const parsed = parseLine(text);
  if (!parsed.ok) return undefined;
  const { hashOk, macOk } = checkLine(keys.mac, parsed.line);
  return hashOk && macOk ? parsed.line : undefined;
}

/** Repairs a crash's leftovers at the end of the file; returns the last complete line. */
async function repairTail(
  directory: string,
  keys: AuditKeys,
  report: AuditLogOpenReport,
  now: Date,
): Promise<{ last: AuditLine | undefined; lastText: string | undefined; size: number }> {
  const tail = await readLogTail(directory);
  let size = tail.size;
  let lastText = tail.lastLine?.text;
  if (tail.partial) {
    const complete = authenticLine(keys, tail.partial.bytes.toString('utf8'));
    const handle = await openFile(logPath(directory), 'r+');
    try {
      if (complete) {
        // The whole line reached the disk but its newline did not: keep the line.
        await handle.write('\n', tail.size);
        size += 1;
        lastText = tail.partial.bytes.toString('utf8');
      } else {
        report.quarantined.push(await quarantineTornTail(directory, tail.partial.bytes, now));
        await handle.truncate(tail.partial.offset);
        size = tail.partial.offset;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  return { last: lastText === undefined ? undefined : authenticLine(keys, lastText), lastText, size };
}

/** Refuses a folder that holds less than the witness recorded: appending would bury the evidence. */
function refuseAgainstWitness(directory: string, witness: HeadWitness, logId: string | undefined, head: Head): void {
  const verdict = judgeWitness(witness.read(), { logId, seq: head.seq, hashAt: (seq) => (seq === head.seq ? head.hash : undefined) });
  switch (verdict.kind) {
    case 'agrees':
    case 'lags':
    case 'unwitnessed':
      return;
    case 'unreadable':
      throw tampered(directory, `has a damaged head in ${witness.where} (${verdict.problem})`);
    case 'edited':
      throw tampered(directory, `has an edited head in ${witness.where}`);
    case 'wiped':
      throw tampered(directory, `is empty but ${witness.where} records its log at seq ${verdict.head.seq} (it was deleted)`);
    case 'other-log':
      throw tampered(
        directory,
        `holds log ${verdict.logId} but ${witness.where} records log ${verdict.head.logId} at seq ${verdict.head.seq} (it was replaced)`,
      );
    case 'rolled-back':
      throw tampered(
        directory,
        `ends at seq ${verdict.endSeq} but ${witness.where} records seq ${verdict.head.seq} (an older copy was restored)`,
      );
    case 'diverged':
      throw tampered(directory, `has a line at seq ${verdict.head.seq} other than the one ${witness.where} records`);
  }
}

/** Moves the witness on; a failure costs only the witness's freshness, so it is logged, not thrown. */
function witnessHead(witness: HeadWitness, fields: { logId: string; seq: number; hash: string }, log: (line: string) => void): void {
  try {
    const reading = witness.read();
    // A witnessed log that never held an event may be followed by another (a folder moved aside before its first event).
    const fresh = reading.state === 'read' && reading.head.logId !== fields.logId && reading.head.seq === 0;
    const written = fresh || reading.state === 'none' ? witness.beginLog(fields) : witness.advance(fields);
    if (written.kind !== 'written') log(`audit: the head in ${witness.where} was not moved to seq ${fields.seq} (${written.kind})`);
  } catch (error) {
    log(
      `audit: the head in ${witness.where} could not be updated after seq ${fields.seq}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function openAuditLog(directory: string, keys: AuditKeys, options: OpenAuditLogOptions = {}): Promise<AuditLog> {
  assertAuditKeys(keys);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const report: AuditLogOpenReport = { quarantined: [], anchorRepaired: false };
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await chmod(directory, 0o700);
  } catch (error) {
    throw new AuditError(
      'io',
      `the audit folder ${directory} could not be created: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
  const { last, lastText, size } = await repairTail(directory, keys, report, now());
  const anchor = await readAnchor(directory, keys.mac);
  const anchorOk = anchor.state === 'read' && anchor.macOk;
  if (lastText !== undefined && !last && !anchorOk) {
    throw new AuditError(
      'wrong-keys',
      `the audit log at ${directory} does not authenticate under these keys (wrong keys, or its end and anchor were replaced)`,
    );
  }
  if (lastText !== undefined && !last) throw tampered(directory, 'ends with a line that does not authenticate');

  let logId: string;
  const head: Head = { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH, size };
  const verdict = judgeAnchor(anchor, { seq: head.seq, hash: head.hash, hasLines: last !== undefined });
  const witness = options.witness;
  if (witness)
    refuseAgainstWitness(directory, witness, verdict.kind === 'agrees' || verdict.kind === 'one-behind' ? verdict.logId : undefined, head);
  switch (verdict.kind) {
    case 'new-log':
      logId = newLogId();
      await writeAnchor(directory, keys.mac, { logId, seq: 0, hash: GENESIS_HASH });
      break;
    case 'missing':
      throw tampered(directory, 'has lost its anchor.json');
    case 'unreadable':
      throw tampered(directory, `has a damaged anchor (${verdict.problem})`);
    case 'edited':
      if (!last) throw new AuditError('wrong-keys', `the audit anchor at ${directory} does not authenticate under these keys`);
      throw tampered(directory, 'has an edited anchor.json');
    case 'cut-off':
      throw tampered(directory, `ends at seq ${head.seq} but its anchor records seq ${verdict.anchorSeq} (its tail was cut off)`);
    case 'ahead':
      throw tampered(directory, `runs to seq ${head.seq} but its anchor records seq ${verdict.anchorSeq}`);
    case 'replaced':
      throw tampered(directory, `has a last line (seq ${head.seq}) that differs from its anchor`);
    case 'one-behind':
      logId = verdict.logId;
      await writeAnchor(directory, keys.mac, { logId, seq: head.seq, hash: head.hash });
      report.anchorRepaired = true;
      break;
    case 'agrees':
      logId = verdict.logId;
  }
  // A new log, a log witnessed for the first time, or a witness one append behind: brought up to the head.
  if (witness) witnessHead(witness, { logId, seq: head.seq, hash: head.hash }, log);

  const file: FileHandle = await openFile(logPath(directory), 'a', 0o600);
  await syncDirectory(directory);
  const listeners = new Set<(seq: number) => void>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function appendNow(event: AuditEventInput): Promise<AppendedEvent> {
    const line = buildLine(keys, head.seq + 1, event.at, head.hash, JSON.stringify(event));
    const bytes = Buffer.from(`${serializeLine(line)}\n`, 'utf8');
    try {
      await file.write(bytes);
      await file.sync();
    } catch (error) {
      // A half-written line would sit in the middle of the log after the next append: cut it off.
      await file.truncate(head.size).catch(() => undefined);
      throw new AuditError(
        'io',
        `an audit event could not be written to ${logPath(directory)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { cause: error },
      );
    }
    head.seq = line.seq;
    head.hash = line.hash;
    head.size += bytes.length;
    try {
      await writeAnchor(directory, keys.mac, { logId, seq: head.seq, hash: head.hash });
    } catch (error) {
      // The line is durable, so the event is acknowledged; the anchor catches up on the next append or open.
      log(`audit: the anchor could not be updated after seq ${head.seq}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (witness) witnessHead(witness, { logId, seq: head.seq, hash: head.hash }, log);
    for (const listener of listeners) listener(head.seq);
    return { seq: head.seq, hash: head.hash };
  }

  return {
    directory,
    logId,
    openReport: report,
    lastSeq: () => head.seq,
    append(input) {
      if (closed) return Promise.reject(new AuditError('io', 'the audit log is closed'));
      const parsed = AuditEventInputSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return Promise.reject(
          new AuditError(
            'invalid-event',
            `invalid audit event: field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
          ),
        );
      }
      const result = queue.then(() => appendNow(parsed.data));
      queue = result.catch(() => undefined);
      return result;
    },
    recordsAfter: (seq, limit, hint) => readRecordsAfter(directory, keys, seq, limit, hint),
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      await queue;
      await file.close();
    },
  };
}
