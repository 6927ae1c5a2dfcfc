/**
 * "Delivered up to seq N" for the forwarder, kept in the audit folder and replaced atomically.
 * It also keeps the byte offset where seq N+1 starts, so resuming reads only the undelivered end.
 * A cursor from another log (the folder was moved aside and a new log begun) counts as none.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { nodeBlobFs, writeFileAtomically } from '../durable-files/index.ts';
import { AUDIT_FORMAT } from './audit-line.ts';
import { CURSOR_FILE } from './log-files.ts';

const CursorSchema = z
  .object({
    format: z.literal(AUDIT_FORMAT),
    logId: z.string().min(1),
    seq: z.number().int().min(0),
    offset: z.number().int().min(0),
  })
  .strict();

export interface DeliveryCursor {
  seq: number;
  offset: number;
}

export const START_CURSOR: DeliveryCursor = { seq: 0, offset: 0 };

/** The saved cursor, or the start when there is none, it is damaged, or it belongs to another log. */
export async function readCursor(
  directory: string,
  logId: string,
  onDamaged: (problem: string) => void = () => {},
): Promise<DeliveryCursor> {
  let text: string;
  try {
    text = await readFile(join(directory, CURSOR_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return START_CURSOR;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    onDamaged(`${CURSOR_FILE} is not JSON; delivering from the start (the repository drops repeats by id)`);
    return START_CURSOR;
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success) {
    onDamaged(`${CURSOR_FILE} is damaged; delivering from the start (the repository drops repeats by id)`);
    return START_CURSOR;
  }
  if (parsed.data.logId !== logId) return START_CURSOR;
  return { seq: parsed.data.seq, offset: parsed.data.offset };
}

export async function writeCursor(directory: string, logId: string, cursor: DeliveryCursor): Promise<void> {
  const body = JSON.stringify({ format: AUDIT_FORMAT, logId, seq: cursor.seq, offset: cursor.offset });
  await writeFileAtomically(nodeBlobFs, join(directory, CURSOR_FILE), Buffer.from(`${body}\n`, 'utf8'));
}
