/**
 * Turns a seed plan into DICOM files with generate-series.py, once: the files are kept under
 * .cache/demo-pacs/<hash of plan and script>/ so later starts only upload them.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { SeedPlan } from './seed-plan.ts';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./generate-series.py', import.meta.url));
/** Debian's python3 has python3-pydicom and python3-numpy; a pyenv or venv python may not. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const DEFAULT_CACHE_ROOT = fileURLToPath(new URL('../../../.cache/demo-pacs/', import.meta.url));

const ManifestSchema = z.object({
  files: z.array(z.string().regex(/^[0-9.]+\.dcm$/)),
  failures: z.array(z.object({ file: z.string(), reason: z.string() })),
});

export interface SeedFailure {
  /** The offending input or generated file. */
  file: string;
  reason: string;
}

export interface GeneratedSeries {
  folder: string;
  /** Absolute paths of the written instances. */
  files: string[];
  /** Sample files that could not be used; everything else was written. */
  failures: SeedFailure[];
  /** False when the files came from the cache. */
  generated: boolean;
  generateMs: number;
}

export class SeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

export async function planHash(plan: SeedPlan): Promise<string> {
  const script = await readFile(SCRIPT);
  return createHash('sha256').update(JSON.stringify(plan)).update(script).digest('hex').slice(0, 20);
}

async function readManifest(folder: string): Promise<z.infer<typeof ManifestSchema>> {
  const file = path.join(folder, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SeedError(`demo PACS: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new SeedError(`demo PACS: ${file} is not a manifest written by generate-series.py: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** Whether the series of this plan were drawn by an earlier start (then no Python runs). */
export async function seriesAreCached(plan: SeedPlan, options: { cacheRoot?: string } = {}): Promise<boolean> {
  return existsSync(path.join(options.cacheRoot ?? DEFAULT_CACHE_ROOT, await planHash(plan), 'manifest.json'));
}

export async function generateSeriesFiles(plan: SeedPlan, options: { cacheRoot?: string; python?: string } = {}): Promise<GeneratedSeries> {
  const cacheRoot = options.cacheRoot ?? DEFAULT_CACHE_ROOT;
  const folder = path.join(cacheRoot, await planHash(plan));
  const started = performance.now();
  let generated = false;
  if (!existsSync(path.join(folder, 'manifest.json'))) {
    // Written aside and renamed: a crash or a parallel start never leaves a half folder in place.
    const staging = `${folder}.tmp-${process.pid}-${Date.now()}`;
    await mkdir(staging, { recursive: true });
    try {
      const planFile = path.join(staging, 'plan.json');
      await writeFile(planFile, JSON.stringify({ studies: plan.studies }));
      await run(options.python ?? SYSTEM_PYTHON, [SCRIPT, planFile, staging], { maxBuffer: 4 * 1024 * 1024 });
      await rm(planFile);
      await rename(staging, folder).catch(async (error: unknown) => {
        if (!existsSync(path.join(folder, 'manifest.json'))) throw error;
        await rm(staging, { recursive: true, force: true }); // another process finished first
      });
      generated = true;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      const stderr = (error as { stderr?: unknown }).stderr;
      const detail = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n').slice(-3).join(' ') : (error as Error).message;
      throw new SeedError(`demo PACS: generating the DICOM series failed: ${detail}`, { cause: error });
    }
  }
  const manifest = await readManifest(folder);
  return {
    folder,
    files: manifest.files.map((f) => path.join(folder, f)),
    failures: manifest.failures,
    generated,
    generateMs: Math.round(performance.now() - started),
  };
}
