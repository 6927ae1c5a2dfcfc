/**
 * The files of one audit directory and the raw reading of the log: lines with their byte
 * offsets and line numbers, and whether the file ends with a newline (a crash mid-append leaves
 * a last line without one).
 */
import { open as openFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const LOG_FILE = 'audit.jsonl';
export const ANCHOR_FILE = 'anchor.json';
export const CURSOR_FILE = 'forwarded.json';
export const QUARANTINE_DIR = 'quarantine';

export function logPath(directory: string): string {
  return join(directory, LOG_FILE);
}

export interface RawLine {
  /** 1-based line number in the file. */
  number: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  text: string;
  /** False only for a last line with no newline after it. */
  terminated: boolean;
}

export interface RawLog {
  exists: boolean;
  size: number;
  lines: RawLine[];
}

const NEWLINE = 0x0a;

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const handle = await openFile(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

function splitLines(bytes: Buffer, baseOffset: number, firstNumber: number): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  let number = firstNumber;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    const terminated = end !== -1;
    const stop = terminated ? end : bytes.length;
    lines.push({ number, offset: baseOffset + start, text: bytes.subarray(start, stop).toString('utf8'), terminated });
    number += 1;
    start = stop + 1;
  }
  return lines;
}

/**
 * Lines from `fromOffset` on (which must be the start of a line). `firstNumber` is the number of
 * the line there, when the caller knows it; reading from 0 numbers lines exactly. With
 * `maxBytes`, reading stops there: the last line may then be cut (reported unterminated).
 */
export async function readRawLog(directory: string, fromOffset = 0, firstNumber = 1, maxBytes = Infinity): Promise<RawLog> {
  const path = logPath(directory);
  const size = await fileSize(path);
  if (size === undefined) return { exists: false, size: 0, lines: [] };
  if (fromOffset >= size) return { exists: true, size, lines: [] };
  const bytes = await readRange(path, fromOffset, Math.min(size - fromOffset, maxBytes));
  return { exists: true, size, lines: splitLines(bytes, fromOffset, firstNumber) };
}

export interface LogTail {
  size: number;
  /** The last newline-terminated line, if any. */
  lastLine: RawLine | undefined;
  /** Bytes after the last newline: what a crash mid-append leaves. */
  partial: { offset: number; bytes: Buffer } | undefined;
}

/**
 * The end of the log without reading all of it: opening a years-long log must not cost a full
 * read. Line numbers are unknown here (reported as 0).
 */
export async function readLogTail(directory: string): Promise<LogTail> {
  const path = logPath(directory);
  const size = (await fileSize(path)) ?? 0;
  if (size === 0) return { size, lastLine: undefined, partial: undefined };
  let chunk = Math.min(size, 64 * 1024);
  for (;;) {
    const start = size - chunk;
    const bytes = await readRange(path, start, chunk);
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    const partial =
      lastNewline + 1 < bytes.length ? { offset: start + lastNewline + 1, bytes: bytes.subarray(lastNewline + 1) } : undefined;
    const before = lastNewline === -1 ? -1 : bytes.lastIndexOf(NEWLINE, lastNewline - 1);
    // The last complete line starts after the newline before it, or at offset 0 of the file.
    if (lastNewline !== -1 && (before !== -1 || start === 0)) {
      const text = bytes.subarray(before + 1, lastNewline).toString('utf8');
      return { size, lastLine: { number: 0, offset: start + before + 1, text, terminated: true }, partial };
    }
    if (start === 0) return { size, lastLine: undefined, partial };
    chunk = Math.min(size, chunk * 2);
  }
}
