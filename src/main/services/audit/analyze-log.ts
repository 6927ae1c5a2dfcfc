/**
 * Reads a whole audit log against its keys and says what is wrong with it, and where: the core
 * of `verifyAuditLog` and of listing (which shows only what authenticates).
 *
 * The reasoning: a line whose MAC verifies was written by a holder of the mac key. Everything
 * else — lines that are not lines, lines whose hash no longer matches their content, lines
 * re-hashed by someone without the key — is reported by itself. The lines that do authenticate
 * must then run 1, 2, 3… in file order, each pointing at the previous one's hash, and end where
 * the anchor says.
 */
import { AuditError } from './audit-error.ts';
import { AuditEventInputSchema, type AuditRecord } from './audit-event.ts';
import type { AuditKeys } from './audit-keys.ts';
import { checkLine, GENESIS_HASH, openBody, parseLine, type AuditLine } from './audit-line.ts';
import type { AnchorState } from './anchor.ts';
import { judgeAnchor } from './anchor-verdict.ts';
import type { RawLine } from './log-files.ts';

export type AuditProblemKind =
  | 'edited'
  | 'deleted'
  | 'reordered'
  | 'inserted'
  | 'truncated'
  | 'torn'
  | 'bad-mac'
  | 'undecryptable'
  | 'anchor-mismatch'
  /** The folder holds less than the head witnessed outside it (key store, audit repository). */
  | 'rolled-back'
  /** The folder holds no log, or another one, where a witnessed log was. */
  | 'wiped'
  /** The witnessed head itself is damaged or was edited. */
  | 'witness-mismatch';

export interface AuditProblem {
  /** The seq the problem concerns, when one is known. */
  seq?: number;
  /** 1-based line number in audit.jsonl where the problem shows (anchor problems: the last line). */
  line: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuthenticRecord extends AuditRecord {
  line: number;
}

export interface LogAnalysis {
  problems: AuditProblem[];
  /** Lines that authenticate and decrypt, in seq order, without duplicates. */
  records: AuthenticRecord[];
  lineCount: number;
  /** Where the log ends, as the anchor is judged against (seq 0: no lines). */
  end: { seq: number; hash: string | undefined; line: number };
}

interface CheckedLine {
  raw: RawLine;
  line: AuditLine;
  hashOk: boolean;
  macOk: boolean;
}

function seqRange(from: number, to: number): string {
  return from === to ? `seq ${from}` : `seq ${from}–${to}`;
}

function decryptProblem(keys: AuditKeys, c: CheckedLine): { record?: AuthenticRecord; problem?: AuditProblem } {
  const where = { seq: c.line.seq, line: c.raw.number };
  const json = openBody(keys.seal, c.line);
  if (json === undefined) {
    return {
      problem: {
        ...where,
        kind: 'undecryptable',
        message: `line ${c.raw.number} (seq ${c.line.seq}) authenticates but its body does not decrypt under the seal key`,
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {
      problem: {
        ...where,
        kind: 'undecryptable',
        message: `line ${c.raw.number} (seq ${c.line.seq}) decrypts to something that is not JSON`,
      },
    };
  }
  const event = AuditEventInputSchema.safeParse(value);
  if (!event.success) {
    const issue = event.error.issues[0];
    return {
      problem: {
        ...where,
        kind: 'undecryptable',
        message: `line ${c.raw.number} (seq ${c.line.seq}) decrypts but is not an audit event (field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'})`,
      },
    };
  }
  return { record: { seq: c.line.seq, hash: c.line.hash, event: event.data, line: c.raw.number } };
}

function checkAnchor(
  anchor: AnchorState,
  lastSeq: number,
  lastHash: string | undefined,
  lastLine: number,
  hasLines: boolean,
): AuditProblem[] {
  const at = { line: lastLine };
  const verdict = judgeAnchor(anchor, { seq: lastSeq, hash: lastHash, hasLines });
  switch (verdict.kind) {
    case 'agrees':
    case 'new-log':
    case 'one-behind':
      return [];
    case 'missing':
      return [{ ...at, kind: 'anchor-mismatch', message: 'anchor.json is missing: lines cut off the end of the log could not be noticed' }];
    case 'unreadable':
      return [{ ...at, kind: 'anchor-mismatch', message: `the anchor is damaged: ${verdict.problem}` }];
    case 'edited':
      return [{ ...at, kind: 'anchor-mismatch', message: 'anchor.json was edited: its MAC does not verify' }];
    case 'cut-off':
      return [
        {
          seq: lastSeq + 1,
          ...at,
          kind: 'truncated',
          message: `the log ends at seq ${lastSeq} (line ${lastLine}) but the anchor records seq ${verdict.anchorSeq}: ${seqRange(lastSeq + 1, verdict.anchorSeq)} were cut off the end`,
        },
      ];
    case 'replaced':
      return [
        {
          seq: lastSeq,
          ...at,
          kind: 'anchor-mismatch',
          message: `the anchor's hash for seq ${verdict.anchorSeq} differs from the line's: the last line was replaced`,
        },
      ];
    case 'ahead':
      return [
        {
          seq: verdict.anchorSeq + 1,
          ...at,
          kind: 'anchor-mismatch',
          message: `the anchor records seq ${verdict.anchorSeq} but the log runs to seq ${lastSeq}: ${seqRange(verdict.anchorSeq + 1, lastSeq)} were added without the anchor`,
        },
      ];
  }
}

function damagedBetween(damagedLines: readonly number[], afterLine: number, beforeLine: number): number {
  return damagedLines.filter((n) => n > afterLine && n < beforeLine).length;
}

function noKeyAuthenticates(checked: CheckedLine[], anchor: AnchorState): boolean {
  const anchorAuthentic = anchor.state === 'read' && anchor.macOk;
  return checked.length > 0 && !anchorAuthentic && checked.every((c) => !c.macOk);
}

export function analyzeLog(directory: string, rawLines: readonly RawLine[], anchor: AnchorState, keys: AuditKeys): LogAnalysis {
  const problems: AuditProblem[] = [];
  const checked: CheckedLine[] = [];
  // Line numbers of lines still present though damaged: each stands for one event, so a gap they fill is not a deletion.
  const damagedLines: number[] = [];
  const last = rawLines.at(-1);
  for (const raw of rawLines) {
    const parsed = parseLine(raw.text);
    if (!parsed.ok) {
      const torn = raw === last && !raw.terminated;
      problems.push(
        torn
          ? {
              line: raw.number,
              kind: 'torn',
              message: `line ${raw.number} is incomplete (${Buffer.byteLength(raw.text)} bytes, no newline): an append was interrupted`,
            }
          : { line: raw.number, kind: 'edited', message: `line ${raw.number} is not an audit line (${parsed.problem})` },
      );
      if (!torn) damagedLines.push(raw.number);
      continue;
    }
    checked.push({ raw, line: parsed.line, ...checkLine(keys.mac, parsed.line) });
  }
  if (noKeyAuthenticates(checked, anchor)) {
    throw new AuditError(
      'wrong-keys',
      `nothing in ${directory} authenticates under these keys: the keys are wrong (or every line and the anchor were replaced)`,
    );
  }

  const authentic = checked.filter((c) => c.macOk);
  const authenticSeqs = new Set(authentic.map((c) => c.line.seq));
  const maxAuthentic = authentic.reduce((max, c) => Math.max(max, c.line.seq), 0);
  for (const c of checked.filter((x) => !x.macOk)) {
    const where = { seq: c.line.seq, line: c.raw.number };
    if (!c.hashOk) {
      damagedLines.push(c.raw.number);
      problems.push({
        ...where,
        kind: 'edited',
        message: `line ${c.raw.number} (seq ${c.line.seq}) was changed after it was written: its content no longer matches its hash`,
      });
    } else if (authenticSeqs.has(c.line.seq) || c.line.seq > maxAuthentic) {
      problems.push({
        ...where,
        kind: 'inserted',
        message: `line ${c.raw.number} (seq ${c.line.seq}) was not written with this log's key: a forged line was inserted`,
      });
    } else {
      damagedLines.push(c.raw.number);
      problems.push({
        ...where,
        kind: 'bad-mac',
        message: `line ${c.raw.number} (seq ${c.line.seq}) was rewritten and re-hashed without the key: its MAC does not verify`,
      });
    }
  }

  // File order: each authentic seq once, never going back.
  const unique: CheckedLine[] = [];
  const firstLineOf = new Map<number, number>();
  let highest: CheckedLine | undefined;
  for (const c of authentic) {
    const where = { seq: c.line.seq, line: c.raw.number };
    const first = firstLineOf.get(c.line.seq);
    if (first !== undefined) {
      problems.push({
        ...where,
        kind: 'inserted',
        message: `line ${c.raw.number} repeats seq ${c.line.seq} of line ${first}: a copied line was inserted`,
      });
      continue;
    }
    firstLineOf.set(c.line.seq, c.raw.number);
    if (highest && c.line.seq < highest.line.seq) {
      problems.push({
        ...where,
        kind: 'reordered',
        message: `line ${c.raw.number} (seq ${c.line.seq}) comes after seq ${highest.line.seq} (line ${highest.raw.number}): lines were reordered`,
      });
    }
    if (!highest || c.line.seq > highest.line.seq) highest = c;
    unique.push(c);
  }

  // Seq order: no gaps, each line pointing at its predecessor.
  unique.sort((x, y) => x.line.seq - y.line.seq);
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let prevLine = 0;
  const records: AuthenticRecord[] = [];
  for (const c of unique) {
    const where = { seq: c.line.seq, line: c.raw.number };
    if (c.line.seq > expected) {
      const gap = c.line.seq - expected;
      const deleted = gap - (prevLine < c.raw.number ? damagedBetween(damagedLines, prevLine, c.raw.number) : 0);
      if (deleted > 0) {
        const range = seqRange(expected, c.line.seq - 1);
        const what = deleted === gap ? `${range} ${gap === 1 ? 'is' : 'are'} missing` : `${deleted} of ${range} are missing`;
        problems.push({
          seq: expected,
          line: c.raw.number,
          kind: 'deleted',
          message: `${what} ${prevLine ? `between line ${prevLine} and line ${c.raw.number}` : `before line ${c.raw.number}`}: lines were deleted`,
        });
      }
    } else if (c.line.prev !== prevHash) {
      problems.push({
        ...where,
        kind: 'inserted',
        message: `line ${c.raw.number} (seq ${c.line.seq}) does not chain to seq ${c.line.seq - 1}: it comes from another log with the same keys`,
      });
    }
    expected = c.line.seq + 1;
    prevHash = c.line.hash;
    prevLine = c.raw.number;
    const { record, problem } = decryptProblem(keys, c);
    if (problem) problems.push(problem);
    if (record) records.push(record);
  }
  if (unique.length > 0 && records.length === 0) {
    throw new AuditError('wrong-keys', `the lines of ${directory} authenticate but none decrypts: the seal key is wrong`);
  }

  // Damaged lines after the highest authentic one still stand for events at the end.
  const top = unique.at(-1);
  const damagedAfterTop = damagedBetween(damagedLines, top?.raw.number ?? 0, Number.MAX_SAFE_INTEGER);
  const lastSeq = (top?.line.seq ?? 0) + damagedAfterTop;
  const lastHash = damagedAfterTop === 0 ? top?.line.hash : undefined;
  problems.push(...checkAnchor(anchor, lastSeq, lastHash, last?.number ?? 0, checked.length > 0));
  problems.sort((x, y) => x.line - y.line);
  return { problems, records, lineCount: rawLines.length, end: { seq: lastSeq, hash: lastHash, line: last?.number ?? 0 } };
}
