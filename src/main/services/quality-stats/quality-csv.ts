import type { QualityOverview } from '../../../shared/api/admin-insight.ts';
import { QualityCodeSchema } from '../../../shared/domain/quality.ts';

/** RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never runs a code as a formula. */
function cell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: readonly (string | number)[]): string => cells.map(cell).join(',');

/**
 * The overview as one CSV file for the vendors' meetings: findings per source and kind (with a
 * column per day), then the unmapped local codes with counts. Counts and codes only.
 */
export function qualityCsv(overview: QualityOverview): string {
  const dayHeads = overview.days.map((ms) => new Date(ms).toISOString().slice(0, 10));
  const rows = [line(['section', 'source', 'kind', 'code_system', 'code', 'count', ...dayHeads])];
  for (const source of overview.sources) {
    for (const kind of QualityCodeSchema.options) {
      const n = source.byKind[kind];
      if (n) rows.push(line(['findings', source.sourceId, kind, '', '', n, ...dayHeads.map(() => '')]));
    }
    rows.push(line(['findings-per-day', source.sourceId, '', '', '', source.total, ...source.perDay]));
  }
  for (const u of overview.topUnmapped)
    rows.push(line(['unmapped-code', u.sourceId, 'unmapped-code', u.system, u.code, u.count, ...dayHeads.map(() => '')]));
  return `${rows.join('\r\n')}\r\n`;
}
