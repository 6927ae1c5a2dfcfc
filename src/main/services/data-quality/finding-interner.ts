import type { QualityFinding } from '../../../shared/domain/quality.ts';

type Level = Map<string, Level | QualityFinding>;

function step(level: Level, key: string): Level {
  let next = level.get(key) as Level | undefined;
  if (next === undefined) level.set(key, (next = new Map()));
  return next;
}

/**
 * One frozen finding per distinct content: a finding is named by its source, kind and a few
 * keys (the code, the unit, the analyte and side …), and a record repeats the same few — 15,000
 * implausible creatinine results are one finding, not 15,000 objects to allocate and collect.
 * Nested maps, not a joined key: joining would be a new string per result.
 */
export class FindingInterner {
  readonly #root: Level = new Map();
  #last: Level = this.#root;
  #lastKey = '';

  /** The finding filed under the five keys, or undefined (then `file` it under the same keys). */
  find(k0: string, k1: string, k2: string, k3: string, k4: string): QualityFinding | undefined {
    const level = step(step(step(step(this.#root, k0), k1), k2), k3);
    this.#last = level;
    this.#lastKey = k4;
    return level.get(k4) as QualityFinding | undefined;
  }

  /** Files a finding under the keys of the last `find`. */
  file(finding: QualityFinding): QualityFinding {
    const frozen = Object.freeze(finding);
    this.#last.set(this.#lastKey, frozen);
    return frozen;
  }
}
