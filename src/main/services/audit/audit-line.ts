/**
 * One line of the audit log: `{seq, at, prev, body, mac, hash}`. `body` is the event sealed with
 * AES-256-GCM (AAD binds it to its seq, so a body cannot be moved to another line); `hash` chains
 * the lines; `mac` proves the line was written by a holder of the mac key — a hash alone could be
 * recomputed by anyone who edits the file.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { encodeAad, open as openSealed, seal as sealBytes } from '../keys/index.ts';
import type { AuditKeys } from './audit-keys.ts';

export const AUDIT_FORMAT = 'huizhen-audit/v1';
export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

export const AuditLineSchema = z
  .object({
    seq: z.number().int().min(1),
    at: z.string().min(1).max(64),
    prev: z.string().regex(HEX64),
    body: z.base64().min(1),
    mac: z.string().regex(HEX64),
    hash: z.string().regex(HEX64),
  })
  .strict();
export type AuditLine = z.infer<typeof AuditLineSchema>;

/** Length-prefixed, so no two different (seq, at, prev, body) tuples encode alike. */
function chainInput(line: Pick<AuditLine, 'seq' | 'at' | 'prev' | 'body'>): Buffer {
  return encodeAad(AUDIT_FORMAT, [String(line.seq), line.at, line.prev, line.body]);
}

export function lineHash(line: Pick<AuditLine, 'seq' | 'at' | 'prev' | 'body'>): string {
  return createHash('sha256').update(chainInput(line)).digest('hex');
}

export function lineMac(macKey: Buffer, line: Pick<AuditLine, 'seq' | 'at' | 'prev' | 'body'>): string {
  return createHmac('sha256', macKey).update(chainInput(line)).digest('hex');
}

export function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function bodyAad(seq: number): Buffer {
  return encodeAad(AUDIT_FORMAT, [String(seq)]);
}

export function buildLine(keys: AuditKeys, seq: number, at: string, prev: string, eventJson: string): AuditLine {
  const body = sealBytes(keys.seal, Buffer.from(eventJson, 'utf8'), bodyAad(seq)).toString('base64');
  const unsigned = { seq, at, prev, body };
  return { ...unsigned, mac: lineMac(keys.mac, unsigned), hash: lineHash(unsigned) };
}

/** The event JSON inside a line, or undefined when the seal key (or the body) is wrong. */
export function openBody(sealKey: Buffer, line: AuditLine): string | undefined {
  try {
    return openSealed(sealKey, Buffer.from(line.body, 'base64'), bodyAad(line.seq), `audit line seq ${line.seq}`).toString('utf8');
  } catch {
    return undefined;
  }
}

/** JSON with the keys in a fixed order, so a line's bytes are reproducible. */
export function serializeLine(line: AuditLine): string {
  return JSON.stringify({ seq: line.seq, at: line.at, prev: line.prev, body: line.body, mac: line.mac, hash: line.hash });
}

export type ParsedLine = { ok: true; line: AuditLine } | { ok: false; problem: string };

/** Never throws: a line that is not JSON or not shaped like a line says which field is wrong. */
export function parseLine(text: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: `not JSON (${text.length} bytes)` };
  }
  const parsed = AuditLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `field ${issue?.path.join('.') || '(line)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, line: parsed.data };
}

/** What a line proves about itself: its hash matches its content, its MAC matches our key. */
export function checkLine(macKey: Buffer, line: AuditLine): { hashOk: boolean; macOk: boolean } {
  return { hashOk: equalHex(lineHash(line), line.hash), macOk: equalHex(lineMac(macKey, line), line.mac) };
}
