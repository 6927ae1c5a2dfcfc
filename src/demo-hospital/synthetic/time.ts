/** Date helpers for generated records: China Standard Time (UTC+8, no daylight saving). */
const CST_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** "2021-04-05T09:30:00+08:00" for an epoch instant. */
export function toCstDateTime(epochMs: number): string {
  return new Date(epochMs + CST_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}

export function toDate(epochMs: number): string {
  return new Date(epochMs + CST_OFFSET_MS).toISOString().slice(0, 10);
}

export function toInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function parseInstant(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${value}`);
  return ms;
}
