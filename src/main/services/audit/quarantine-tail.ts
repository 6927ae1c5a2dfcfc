import { join } from 'node:path';
import { nodeBlobFs, writeFileAtomically } from '../durable-files/index.ts';
import { QUARANTINE_DIR } from './log-files.ts';

/**
 * Moves a torn last line aside before it is cut off the log: kept, never deleted, because it is
 * evidence (sealed, so it holds no plaintext) for whoever investigates the crash.
 */
export async function quarantineTornTail(directory: string, bytes: Buffer, now: Date): Promise<{ movedTo: string; bytes: number }> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const movedTo = join(directory, QUARANTINE_DIR, `${stamp}-torn-tail.jsonl`);
  await writeFileAtomically(nodeBlobFs, movedTo, bytes);
  return { movedTo, bytes: bytes.length };
}
