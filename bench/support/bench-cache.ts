import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HuizhenConfig, HuizhenConfigInput } from '../../src/shared/config/schema.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';

/** The env variable the bench's own cache passphrase lives in (never the user's HUIZHEN_CACHE_PASSPHRASE). */
export const BENCH_PASSPHRASE_ENV = 'HUIZHEN_BENCH_CACHE_PASSPHRASE';

export interface BenchCacheDir {
  directory: string;
  /** The demo hospital's config with an encrypted cache in this directory. */
  config(hospitalConfig: HuizhenConfigInput): HuizhenConfig;
  remove(): void;
}

/** A throwaway encrypted-cache folder: every run starts cold, and nothing of it outlives the suite. */
export function benchCacheDir(label: string): BenchCacheDir {
  const directory = mkdtempSync(join(tmpdir(), `huizhen-bench-${label}-`));
  process.env[BENCH_PASSPHRASE_ENV] ??= 'bench passphrase 汇诊 — not a secret';
  return {
    directory,
    config: (hospitalConfig) =>
      parseConfig(
        {
          ...hospitalConfig,
          // A 10,000-entry record on a busy 2-core machine can take longer than the 10 s default:
          // the benches measure how long, instead of a timeout.
          sources: hospitalConfig.sources.map((s) => ({ ...s, resilience: { ...s.resilience, timeoutMs: 90_000 } })),
          cache: { directory, passphraseEnv: BENCH_PASSPHRASE_ENV },
        },
        `bench ${label}`,
      ),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** "met" or "MISSED" next to the goal, so a missed goal is visible in the printed line. */
export function goalVerdict(goal: string, met: boolean): string {
  return `${goal}: ${met ? 'met' : 'MISSED'}`;
}
