import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBuildOptions } from '../../../../../scripts/build-electron.ts';
import { unitTableUsage, useUnitSpellings } from '../../../../../src/adapters/units/index.ts';
import { readRecordChunk } from '../../../../../src/main/services/inbound-hl7/conversion-protocol.ts';
import type * as threadModule from '../../../../../src/main/services/inbound-hl7/conversion-thread.ts';
import { createConversionThread, type ConversionThread } from '../../../../../src/main/services/inbound-hl7/conversion-thread.ts';
import { encode, hugeOru, oruR01 } from '../../../../support/inbound-hl7-harness.ts';

const SETTINGS = { sourceId: 'lis', sourceName: 'LIS', patientIdAuthority: 'LIS', identifierSystems: {}, fallbackCharset: 'utf-8' };
const threads: ConversionThread[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const t of threads.splice(0)) await t.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function thread(cpuBudgetMs: number, entry?: URL | string): ConversionThread {
  const t = createConversionThread({ settings: SETTINGS, cpuBudgetMs, memoryMb: 256, ...(entry ? { entry } : {}) });
  threads.push(t);
  return t;
}

describe('the conversion worker thread', () => {
  it('converts a push off this thread: records per patient, as serialised chunks the listener stores slice by slice', async () => {
    const outcome = await thread(10_000).convert(encode(oruR01({ controlId: 'T1' })), '2025-03-01T02:00:00.000Z');
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done' || outcome.result.kind !== 'converted') throw new Error(`unexpected ${JSON.stringify(outcome)}`);
    expect(outcome.result.header.controlId).toBe('T1');
    expect(outcome.result.pushes.map((p) => p.sourcePatientId)).toEqual(['L202500001']);
    const records = outcome.result.pushes[0]!.chunks.flatMap(readRecordChunk);
    expect(records.map((r) => r.resource.resourceType).sort()).toEqual([
      'DiagnosticReport',
      'Encounter',
      'Observation',
      'Observation',
      'Patient',
    ]);
    expect(records[0]!.provenance).toMatchObject({ sourceId: 'lis', messageType: 'ORU^R01 (push)', fetchedAt: '2025-03-01T02:00:00.000Z' });
  });

  it('the hospital’s unit spellings reach the worker’s own units table (settings.unitSpellings)', async () => {
    // An override no hospital would write, so the worker's answer can only come from the configured table.
    const t = createConversionThread({
      settings: { ...SETTINGS, unitSpellings: [{ spelling: 'mmol/L', ucum: 'umol/L' }] },
      cpuBudgetMs: 10_000,
      memoryMb: 256,
    });
    threads.push(t);
    const outcome = await t.convert(encode(oruR01({ controlId: 'U1' })), '2025-03-01T02:00:00.000Z');
    if (outcome.kind !== 'done' || outcome.result.kind !== 'converted') throw new Error(`unexpected ${JSON.stringify(outcome)}`);
    const codes = outcome.result.pushes[0]!.chunks.flatMap(readRecordChunk).flatMap((r) =>
      r.resource.resourceType === 'Observation' ? [r.resource.valueQuantity?.code] : [],
    );
    expect(codes).toEqual(['umol/L', 'umol/L']);
  });

  it('the unit mappings the worker used are counted in this thread’s table, sent back with its answers (the console’s mapping usage)', async () => {
    const spellings = [{ spelling: 'mmol/L', ucum: 'umol/L' }];
    // Main and the worker load the same configured table, as the composition does.
    useUnitSpellings(spellings);
    try {
      const t = createConversionThread({ settings: { ...SETTINGS, unitSpellings: spellings }, cpuBudgetMs: 10_000, memoryMb: 256 });
      threads.push(t);
      const used = () => unitTableUsage().find((e) => e.spelling === 'mmol/L' && e.origin === 'configured')?.uses;
      const uses: (number | undefined)[] = [];
      for (const id of ['C1', 'C2']) {
        const outcome = await t.convert(encode(oruR01({ controlId: id })), '2025-03-01T02:00:00.000Z');
        expect(outcome.kind === 'done' && outcome.result.kind).toBe('converted');
        uses.push(used());
      }
      // Each result's value and reference range in mmol/L count; the second answer adds only its own.
      expect(uses[0]).toBe(6);
      expect(uses[1]).toBe(12);
    } finally {
      useUnitSpellings([]);
    }
  });

  it('a message over the CPU-time budget: the worker is stopped, the job reported over budget, and the next message converts', async () => {
    const t = thread(50);
    const over = await t.convert(encode(hugeOru({ controlId: 'BIG', results: 40_000 })), new Date().toISOString());
    expect(over).toEqual({ kind: 'over-budget', limit: 'cpu-time', detail: 'CPU-time budget of 50 ms (maxConversionCpuMs)' });
    const next = await t.convert(encode(oruR01({ controlId: 'AFTER' })), new Date().toISOString());
    expect(next.kind === 'done' && next.result.kind).toBe('converted');
  }, 60_000);

  it('several jobs in flight: a message over the CPU budget among them alone fails; the others convert, answered in the order given', async () => {
    // A budget generous for a small ORU even on a loaded machine (its wall cap is 4 budgets), far short of the huge one.
    const t = thread(400);
    const frames = ['A1', 'A2', 'BIG', 'A3', 'A4', 'A5'].map((id) =>
      encode(id === 'BIG' ? hugeOru({ controlId: id, results: 40_000 }) : oruR01({ controlId: id })),
    );
    const answered: number[] = [];
    const outcomes = await Promise.all(
      frames.map((frame, i) => t.convert(frame, new Date().toISOString()).then((outcome) => (answered.push(i), outcome))),
    );
    expect(answered).toEqual([0, 1, 2, 3, 4, 5]);
    expect(outcomes[2]).toEqual({ kind: 'over-budget', limit: 'cpu-time', detail: 'CPU-time budget of 400 ms (maxConversionCpuMs)' });
    const ids = outcomes.map((o) => (o.kind === 'done' && o.result.kind === 'converted' ? o.result.header.controlId : o.kind));
    expect(ids).toEqual(['A1', 'A2', 'over-budget', 'A3', 'A4', 'A5']);
  }, 120_000);

  it('converts ahead of a busy listener thread: answers that came back meanwhile are read in one turn (so their commits group)', async () => {
    const t = thread(10_000);
    // Started and warm, so the jobs below are handed over at once.
    await t.convert(encode(oruR01({ controlId: 'WARM' })), new Date().toISOString());
    const jobs = Array.from({ length: 12 }, (_, i) => t.convert(encode(oruR01({ controlId: `B${i}` })), new Date().toISOString()));
    await Promise.resolve();
    let turn = 0;
    const turns: number[] = [];
    jobs.forEach((job) => void job.then(() => turns.push(turn)));
    // This thread busy (a long commit, say) while the worker keeps converting the jobs it holds.
    const until = performance.now() + 1500;
    while (performance.now() < until);
    // A turn ends at each check phase: answers read in one poll phase count together.
    let ticking = true;
    const tick = (): void => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const outcomes = await Promise.all(jobs);
    ticking = false;
    expect(outcomes.every((o) => o.kind === 'done' && o.result.kind === 'converted')).toBe(true);
    const largestTurn = Math.max(...[...new Set(turns)].map((n) => turns.filter((x) => x === n).length));
    expect(largestTurn).toBeGreaterThan(1);
  }, 60_000);

  it('a message over the heap budget: reported as memory, and the next message converts in a fresh worker', async () => {
    const t = createConversionThread({ settings: SETTINGS, cpuBudgetMs: 120_000, memoryMb: 48 });
    threads.push(t);
    const over = await t.convert(encode(hugeOru({ controlId: 'FAT', results: 40_000 })), new Date().toISOString());
    expect(over).toEqual({ kind: 'over-budget', limit: 'memory', detail: 'heap budget of 48 MB (maxConversionMemoryMb)' });
    const next = await t.convert(encode(oruR01({ controlId: 'AFTER' })), new Date().toISOString());
    expect(next.kind === 'done' && next.result.kind).toBe('converted');
  }, 120_000);

  it('a worker that cannot start: each job is reported worker-failed, never thrown', async () => {
    const t = thread(1000, join(tmpdir(), 'no-such-worker.cjs'));
    const outcome = await t.convert(encode(oruR01({ controlId: 'X' })), new Date().toISOString());
    expect(outcome).toMatchObject({ kind: 'over-budget', limit: 'worker-failed' });
  });

  it('works from the Electron bundles: the worker bundle beside a CommonJS main finds itself (no import.meta there)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huizhen-worker-bundle-'));
    dirs.push(dir);
    const options = electronBuildOptions();
    await build({ ...options.inboundWorker, outfile: join(dir, 'inbound-hl7-worker.cjs'), sourcemap: false, logLevel: 'error' });
    // A stand-in for main.cjs: the thread module bundled the way the main bundle is.
    await build({
      ...options.main,
      entryPoints: [new URL('../../../../../src/main/services/inbound-hl7/conversion-thread.ts', import.meta.url).pathname],
      outfile: join(dir, 'main.cjs'),
      sourcemap: false,
      logLevel: 'error',
    });
    const bundled = createRequire(import.meta.url)(join(dir, 'main.cjs')) as typeof threadModule;
    expect(bundled.defaultConversionWorkerEntry().pathname).toBe(join(dir, 'inbound-hl7-worker.cjs'));
    const t = bundled.createConversionThread({ settings: SETTINGS, cpuBudgetMs: 10_000, memoryMb: 256 });
    threads.push(t);
    const outcome = await t.convert(encode(oruR01({ controlId: 'BUNDLED' })), new Date().toISOString());
    expect(outcome.kind === 'done' && outcome.result.kind).toBe('converted');
  }, 60_000);
});
