import type { QualityFinding } from '../../../shared/domain/quality.ts';

type Level = Map<string, Level | QualityFinding>;

/**
 * One frozen finding per distinct content: a finding is named by its source, kind and a few
 * keys (the code, the unit, the analyte and side …), and a record repeats the same few — 15,000
 * implausible creatinine results are one finding, not 15,000 objects to allocate and collect.
 * Nested maps, not a joined key: joining would be a new string per result.
 */
export class FindingInterner {
  readonly #root: Level = new Map();

  get(keys: readonly [string, string, string, string, string], make: () => QualityFinding): QualityFinding {
    let level = this.#root;
    for (let i = 0; i < 4; i++) {
      let next = level.get(keys[i]!) as Level | undefined;
      if (next === undefined) level.set(keys[i]!, (next = new Map()));
      level = next;
    }
    let found = level.get(keys[4]) as QualityFinding | undefined;
    if (found === undefined) level.set(keys[4], (found = Object.freeze(make())));
    return found;
  }
}
