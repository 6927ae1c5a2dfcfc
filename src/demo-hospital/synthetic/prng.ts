/**
 * A small seeded PRNG (mulberry32). The demo hospital must produce the same patients for the
 * same seed on every machine, so tests and benchmarks can rely on them; Math.random cannot.
 */
import { mulberry32 } from '../../shared/lib/mulberry32.ts';
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Approximately normal (Irwin–Hall of 6 uniforms): enough for plausible lab values. */
  normal(mean: number, sd: number): number;
  chance(probability: number): boolean;
}

export function createPrng(seed: number): Prng {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    normal(mean: number, sd: number): number {
      let sum = 0;
      for (let i = 0; i < 6; i++) sum += next();
      return mean + (sum - 3) * sd * Math.SQRT2;
    },
    chance(probability: number): boolean {
      return next() < probability;
    },
  };
}
