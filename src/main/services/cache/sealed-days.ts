import { encodeAad, open, seal } from '../keys/index.ts';
import type { CacheStore } from './cache-store.ts';

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

export type DayStateStore = Pick<CacheStore, 'deriveServiceKey' | 'readServiceState' | 'updateServiceState'>;

export interface SealedDaysOptions<T> {
  /** Names the derived key, the slots and the sealing's associated data (e.g. `source-health`). */
  name: string;
  /** How the log names the aggregate (e.g. `source health`). */
  label: string;
  retentionDays: number;
  /** A stored day's JSON, checked: the value, or what is wrong with it. */
  check(json: unknown): { value: T } | { problem: string };
  empty(day: number): T;
  dayOfValue(value: T): number;
  /** How often changed days are written (default one minute); close() writes the rest. */
  flushEveryMs?: number;
  log?: (line: string) => void;
}

/** A workstation's per-day aggregates, held in memory and written to the cache in batches. */
export interface SealedDays<T> {
  /** The day, loaded once: as stored, or empty when its slot holds another day or nothing readable. */
  at(day: number): T;
  /** The day changed: written at the next flush. */
  changed(day: number): void;
  /** Drops days before `day` from memory (they stay stored until their slot is reused). */
  forgetBefore(day: number): void;
  flush(): void;
  close(): void;
}

/**
 * Aggregates kept as a ring of day slots in the encrypted cache's service state, each sealed
 * (AES-256-GCM) under a key derived for this purpose: a write touches only the day it changes,
 * and retention needs no delete — day d reuses the slot of day d − slots (the retention, today,
 * and a spare so a day is never read while its slot is being reused). Without a store they live
 * in memory until the process ends.
 */
export function openSealedDays<T>(store: DayStateStore | undefined, options: SealedDaysOptions<T>): SealedDays<T> {
  const log = options.log ?? (() => {});
  const slots = options.retentionDays + 2;
  const key = store?.deriveServiceKey(`huizhen-${options.name}/v1`);
  const purposeOf = (day: number) => `${options.name}/v1/slot-${((day % slots) + slots) % slots}`;
  const aadOf = (purpose: string) => encodeAad(`huizhen-${options.name}`, [purpose]);
  const loaded = new Map<number, T>();
  const dirty = new Set<number>();

  function read(day: number): T {
    const purpose = purposeOf(day);
    const bytes = store && key ? store.readServiceState(purpose) : undefined;
    if (!bytes || !key) return options.empty(day);
    try {
      const checked = options.check(JSON.parse(open(key, bytes, aadOf(purpose), purpose).toString('utf8')));
      if ('value' in checked) return options.dayOfValue(checked.value) === day ? checked.value : options.empty(day);
      log(`${options.label}: an unreadable day was skipped: ${purpose}: ${checked.problem}`);
    } catch (error) {
      log(`${options.label}: an unreadable day was skipped: ${purpose}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return options.empty(day);
  }

  function flush(): void {
    if (!store || !key) return dirty.clear();
    for (const day of dirty) {
      const value = loaded.get(day);
      if (!value) continue;
      const purpose = purposeOf(day);
      try {
        store.updateServiceState(purpose, () => seal(key, Buffer.from(JSON.stringify(value), 'utf8'), aadOf(purpose)));
      } catch (error) {
        // A full disk or a closing cache costs some history, never a clinician's read.
        log(`${options.label}: day ${new Date(day * DAY_MS).toISOString().slice(0, 10)} not written: ${String(error)}`);
      }
    }
    dirty.clear();
  }
  const timer = setInterval(flush, options.flushEveryMs ?? 60_000);
  timer.unref();

  return {
    at(day) {
      let value = loaded.get(day);
      if (value === undefined) loaded.set(day, (value = read(day)));
      return value;
    },
    changed: (day) => void dirty.add(day),
    forgetBefore(day) {
      for (const d of loaded.keys()) if (d < day) loaded.delete(d);
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
