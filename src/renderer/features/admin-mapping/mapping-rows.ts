import type { MappingUsage } from '../../../shared/api/mapping-usage.ts';

export type MappingTable = 'lab-code' | 'unit';
export type MappingShow = 'all' | 'used' | 'unused' | 'configured';
export const MAPPING_SHOWS: readonly MappingShow[] = ['all', 'used', 'unused', 'configured'];

export interface MappingRow {
  table: MappingTable;
  /** What a source sends: a local lab code or name, or a unit spelling. */
  from: string;
  /** What it maps to: a LOINC code or a UCUM unit. */
  to: string;
  origin: 'built-in' | 'configured';
  uses: number;
  /** A hospital's own entry that has not matched anything yet: a typo or a code no source sends. */
  idle: boolean;
}

/** Both tables as one list: the hospital's unmatched entries first (what IT must look at), then by use. */
export function mappingRows(usage: MappingUsage): MappingRow[] {
  const rows: MappingRow[] = [
    ...usage.labCodes.map((e) => ({ table: 'lab-code' as const, from: e.code, to: e.loinc, origin: e.origin, uses: e.uses })),
    ...usage.units.map((e) => ({ table: 'unit' as const, from: e.spelling, to: e.ucum, origin: e.origin, uses: e.uses })),
  ].map((r) => ({ ...r, idle: r.origin === 'configured' && r.uses === 0 }));
  return rows.sort(
    (a, b) => Number(b.idle) - Number(a.idle) || b.uses - a.uses || a.table.localeCompare(b.table) || a.from.localeCompare(b.from),
  );
}

export interface MappingFilter {
  text: string;
  show: MappingShow;
  table: MappingTable | 'both';
}

export function filterMappingRows(rows: readonly MappingRow[], filter: MappingFilter): MappingRow[] {
  const needle = filter.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (filter.table === 'both' || r.table === filter.table) &&
      (filter.show === 'all' ||
        (filter.show === 'used' && r.uses > 0) ||
        (filter.show === 'unused' && r.uses === 0) ||
        (filter.show === 'configured' && r.origin === 'configured')) &&
      (!needle || r.from.toLowerCase().includes(needle) || r.to.toLowerCase().includes(needle)),
  );
}

export interface MappingSummary {
  entries: number;
  used: number;
  configured: number;
  idle: number;
  uses: number;
}

export function summarise(rows: readonly MappingRow[]): MappingSummary {
  return {
    entries: rows.length,
    used: rows.filter((r) => r.uses > 0).length,
    configured: rows.filter((r) => r.origin === 'configured').length,
    idle: rows.filter((r) => r.idle).length,
    uses: rows.reduce((n, r) => n + r.uses, 0),
  };
}
