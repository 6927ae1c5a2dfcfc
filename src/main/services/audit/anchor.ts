/**
 * The anchor: the latest seq and hash, MAC'd, replaced atomically after every append. The chain
 * proves nothing about lines cut off the end; the anchor does — a log shorter than its anchor
 * has lost its tail. It also carries the log's random id, which keeps forwarded AuditEvent ids
 * of a new log from colliding with those of an old one on the same workstation.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { nodeBlobFs, writeFileAtomically } from '../durable-files/index.ts';
import { encodeAad } from '../keys/index.ts';
import { AUDIT_FORMAT, equalHex } from './audit-line.ts';
import { ANCHOR_FILE } from './log-files.ts';

const AnchorSchema = z
  .object({
    format: z.literal(AUDIT_FORMAT),
    logId: z.string().regex(/^[0-9a-f]{32}$/),
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    mac: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type Anchor = z.infer<typeof AnchorSchema>;
export type AnchorFields = Pick<Anchor, 'logId' | 'seq' | 'hash'>;

export type AnchorState =
  { state: 'missing' } | { state: 'unreadable'; problem: string } | { state: 'read'; anchor: Anchor; macOk: boolean };

export function newLogId(): string {
  return randomBytes(16).toString('hex');
}

function anchorMac(macKey: Buffer, fields: AnchorFields): string {
  return createHmac('sha256', macKey)
    .update(encodeAad(`${AUDIT_FORMAT}/anchor`, [fields.logId, String(fields.seq), fields.hash]))
    .digest('hex');
}

export async function readAnchor(directory: string, macKey: Buffer): Promise<AnchorState> {
  let text: string;
  try {
    text = await readFile(join(directory, ANCHOR_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: 'unreadable', problem: `${ANCHOR_FILE} is not JSON` };
  }
  const parsed = AnchorSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { state: 'unreadable', problem: `${ANCHOR_FILE} field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { state: 'read', anchor: parsed.data, macOk: equalHex(anchorMac(macKey, parsed.data), parsed.data.mac) };
}

/** Temp file → fsync → rename → fsync of the directory: after a crash, the old or the new anchor. */
export async function writeAnchor(directory: string, macKey: Buffer, fields: AnchorFields): Promise<void> {
  const anchor: Anchor = { format: AUDIT_FORMAT, ...fields, mac: anchorMac(macKey, fields) };
  await writeFileAtomically(nodeBlobFs, join(directory, ANCHOR_FILE), Buffer.from(`${JSON.stringify(anchor)}\n`, 'utf8'));
}
