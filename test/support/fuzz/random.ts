/**
 * A small seeded generator (mulberry32): every fuzz case is reproducible from (seed, case
 * number) alone, so a finding is re-run with `npm run fuzz -- --seed S --case N`.
 */
import { mulberry32 } from '../../../src/shared/lib/mulberry32.ts';
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Integer between min and max inclusive, log-uniform: small sizes as often as huge ones. */
  size(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    size: (min, max) => Math.min(max, Math.round(Math.exp(Math.log(min) + next() * (Math.log(max) - Math.log(min))))),
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p) => next() < p,
  };
}

/** The seed of case `n` of a run seeded `seed`: cases are independent of each other. */
export function caseSeed(seed: number, n: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(n + 1, 0xc2b2ae35)) >>> 0;
}
