import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openCacheStore } from '../../src/main/services/cache/cache-store.ts';
import { tempCacheDir, testProtector } from '../support/cache-fixtures.ts';
import { writerBatch } from '../support/cache-writer.ts';

const WRITER = fileURLToPath(new URL('../support/cache-writer.ts', import.meta.url));
const BATCHES = 60;
const SEED = 0x5eed_6;

/** mulberry32: a tiny seeded PRNG, so a failing kill point can be replayed exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  acked: Set<number>;
  finished: boolean;
}

/** Starts the writer, SIGKILLs it after `killAfterAcks` acks plus `delayMs`, resolves on exit. */
function runAndKill(dir: string, killAfterAcks: number, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(BATCHES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Set<number>();
    let finished = false;
    let killing = false;
    let buffered = '';
    let stderr = '';
    const kill = () => {
      if (killing) return;
      killing = true;
      const fire = () => child.kill('SIGKILL');
      if (delayMs === 0) fire();
      else setTimeout(fire, delayMs);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const match = /^ack (\d+)$/.exec(line);
        if (match) acked.add(Number(match[1]));
        if (line === 'done') finished = true;
        if ((match && acked.size >= killAfterAcks) || (line === 'ready' && killAfterAcks === 0)) kill();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`writer failed (${code}): ${stderr}`));
      else resolve({ acked, finished });
    });
  });
}

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

describe('kill -9 of a writer at seeded random points', () => {
  const random = prng(SEED);
  const points = Array.from({ length: 12 }, (_, i) => ({
    i,
    killAfterAcks: Math.floor(random() * (BATCHES - 5)),
    delayMs: random() < 0.5 ? 0 : Math.floor(random() * 4),
  }));

  it.each(points)(
    'kill point $i (after $killAfterAcks acks + $delayMs ms): acknowledged data survives, nothing is half-visible',
    async ({ killAfterAcks, delayMs }) => {
      const { dir, cleanup } = tempCacheDir('crash');
      cleanups.push(cleanup);
      const run = await runAndKill(dir, killAfterAcks, delayMs);

      const raw = new DatabaseSync(join(dir, 'cache.db'));
      expect(raw.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      raw.close();

      const store = await openCacheStore({ directory: dir, protector: testProtector() });
      try {
        expect(store.openReport.quarantined).toEqual([]);
        const present = new Map<string, number>();
        for (const key of new Set(Array.from({ length: BATCHES }, (_, b) => writerBatch(b).patientKey))) {
          const { records, failures } = await store.getRecords(key);
          expect(failures).toEqual([]);
          for (const { resource } of records)
            present.set(String(resource.id), (resource as { valueQuantity: { value: number } }).valueQuantity.value);
        }
        for (let b = 0; b < BATCHES; b++) {
          const batch = writerBatch(b);
          const seen = batch.records.filter((r) => present.has(String(r.resource.id)));
          if (run.acked.has(b)) expect(seen.length, `acknowledged batch ${b}`).toBe(batch.records.length);
          else expect([0, batch.records.length], `batch ${b} all or nothing`).toContain(seen.length);
          for (const r of seen)
            expect(present.get(String(r.resource.id))).toBe((r.resource as { valueQuantity: { value: number } }).valueQuantity.value);
        }
      } finally {
        store.close();
      }
    },
  );
});
