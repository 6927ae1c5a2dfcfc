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

export async function readRecordsAfter(directory: string, keys: AuditKeys, seq: number, limit: number, hint?: number): Promise<RecordsAfter> {
  let raw = hint !== undefined && hint > 0 ? await readRawLog(directory, hint) : undefined;
  // A hint that does not land on seq+1 (a new log, a stale cursor) is ignored.
  if (raw && (raw.size < (hint ?? 0) || (raw.lines.some((l) => l.terminated) && firstSeqAt(raw.lines) !== seq + 1))) raw = undefined;
  raw ??= await readRawLog(directory);
  const records: ForwardableRecord[] = [];
  const skipped: RecordsAfter['skipped'] = [];
  for (const line of raw.lines) {
    // An append in flight: its line is not complete yet.
    if (!line.terminated) break;
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
