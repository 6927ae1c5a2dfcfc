/**
 * The events after a given seq, for delivery. Reads from a known byte offset when the caller has
 * one (the forwarder's cursor keeps it), so delivering the newest events does not re-read a
 * years-long log. Only lines that authenticate and decrypt are handed out.
 */
import { AuditEventInputSchema, type AuditRecord } from './audit-event.ts';
import type { AuditKeys } from './audit-keys.ts';
import { checkLine, openBody, parseLine } from './audit-line.ts';
import { readRawLog, type RawLine } from './log-files.ts';

export interface ForwardableRecord extends AuditRecord {
  /** Byte offset just after this line: where the next one starts. */
  endOffset: number;
}

export interface RecordsAfter {
  records: ForwardableRecord[];
  /** Complete lines after `seq` that were left out, and why. */
  skipped: { offset: number; reason: string }[];
}

function toRecord(keys: AuditKeys, raw: RawLine): ForwardableRecord | { reason: string } {
  const parsed = parseLine(raw.text);
  if (!parsed.ok) return { reason: parsed.problem };
  const { hashOk, macOk } = checkLine(keys.mac, parsed.line);
  if (!hashOk || !macOk) return { reason: `seq ${parsed.line.seq} does not authenticate` };
  const json = openBody(keys.seal, parsed.line);
  if (json === undefined) return { reason: `seq ${parsed.line.seq} does not decrypt` };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { reason: `seq ${parsed.line.seq} is not JSON inside` };
  }
  const event = AuditEventInputSchema.safeParse(value);
  if (!event.success) return { reason: `seq ${parsed.line.seq} is not an audit event` };
  return { seq: parsed.line.seq, hash: parsed.line.hash, event: event.data, endOffset: raw.offset + Buffer.byteLength(raw.text) + 1 };
}

function firstSeqAt(lines: readonly RawLine[]): number | undefined {
  const first = lines.find((l) => l.terminated);
  if (!first) return undefined;
  const parsed = parseLine(first.text);
  return parsed.ok ? parsed.line.seq : undefined;
}

/** Read per step: a batch of ~100 events is ~60 kB, so a backlog is not re-read whole for every batch. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Complete lines from `offset` on, read a chunk at a time; ends at the first incomplete line (an
 * append in flight) or the end of the file. A line longer than a chunk doubles the chunk.
 */
async function* completeLinesFrom(directory: string, offset: number): AsyncGenerator<RawLine> {
  let chunk = CHUNK_BYTES;
  for (;;) {
    const raw = await readRawLog(directory, offset, 1, chunk);
    const complete = raw.lines.filter((l) => l.terminated);
    yield* complete;
    const last = complete.at(-1);
    const readToEnd = offset + chunk >= raw.size;
    if (readToEnd || raw.lines.length === 0) return;
    if (!last) {
      chunk *= 2;
      continue;
    }
    offset = last.offset + Buffer.byteLength(last.text) + 1;
  }
}

async function firstLineAt(directory: string, offset: number): Promise<{ size: number; first: RawLine | undefined }> {
  const raw = await readRawLog(directory, offset, 1, CHUNK_BYTES);
  return { size: raw.size, first: raw.lines.find((l) => l.terminated) };
}

export async function readRecordsAfter(
  directory: string,
  keys: AuditKeys,
  seq: number,
  limit: number,
  hint?: number,
): Promise<RecordsAfter> {
  let start = 0;
  if (hint !== undefined && hint > 0) {
    // A hint that does not land on seq+1 (a new log, a stale cursor) is ignored.
    const { size, first } = await firstLineAt(directory, hint);
    if (size >= hint && (!first || firstSeqAt([first]) === seq + 1)) start = hint;
  }
  const records: ForwardableRecord[] = [];
  const skipped: RecordsAfter['skipped'] = [];
  for await (const line of completeLinesFrom(directory, start)) {
    const result = toRecord(keys, line);
    if ('reason' in result) {
      skipped.push({ offset: line.offset, reason: result.reason });
      continue;
    }
    if (result.seq <= seq) continue;
    records.push(result);
    if (records.length >= limit) break;
  }
  return { records, skipped };
}
