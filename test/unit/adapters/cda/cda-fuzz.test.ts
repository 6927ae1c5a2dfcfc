/**
 * The CDA fuzzer with a bounded count, in every `npm test`: structure-aware mutations of the
 * fixtures (test/support/fuzz/). Readers may only throw their typed errors. The 1-second figure
 * per case is measured by `npm run fuzz` (≥ 100,000 cases, inputs up to 1 MB); here a looser
 * bound still catches the superlinear blow-ups (a 600 kB case once ran > 200 s) on a busy machine.
 */
import { describe, expect, it } from 'vitest';
import { FUZZ_TARGETS } from '../../../support/fuzz/fuzz-targets.ts';
import { formatReport, runFuzz } from '../../../support/fuzz/run-fuzz.ts';

describe('CDA fuzzing (bounded)', () => {
  it('1000 hostile inputs: no untyped error, no case near a freeze', () => {
    const report = runFuzz(FUZZ_TARGETS.cda(), { cases: 1000, seed: 2026, limits: { maxGrowth: 64 * 1024 }, budgetMs: 5_000 });
    expect(report.untyped, formatReport(report)).toBe(0);
    expect(report.overBudget, formatReport(report)).toBe(0);
    expect(report.cases).toBe(1000);
  }, 180_000);
});
