import type { QualityCode, QualityFinding } from '../../../shared/domain/quality.ts';

export interface SourceQualityReport {
  sourceId: string;
  findings: number;
  byCode: Partial<Record<QualityCode, number>>;
  /** Local codes without a standard mapping, most frequent first: what the mapping table needs next. */
  topUnmappedCodes: { system: string; code: string; count: number }[];
}

/** Findings counted per source and kind; `top` unmapped codes per source. */
export function qualityReport(findings: Iterable<QualityFinding>, top = 10): SourceQualityReport[] {
  const bySource = new Map<
    string,
    { byCode: Map<QualityCode, number>; unmapped: Map<string, { system: string; code: string; count: number }>; findings: number }
  >();
  for (const f of findings) {
    let s = bySource.get(f.sourceId);
    if (!s) bySource.set(f.sourceId, (s = { byCode: new Map(), unmapped: new Map(), findings: 0 }));
    s.findings++;
    s.byCode.set(f.code, (s.byCode.get(f.code) ?? 0) + 1);
    if (f.code === 'unmapped-code') {
      const system = f.params?.system ?? '';
      const code = f.params?.code ?? '';
      const key = `${system}|${code}`;
      const u = s.unmapped.get(key) ?? { system, code, count: 0 };
      u.count++;
      s.unmapped.set(key, u);
    }
  }
  return [...bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sourceId, s]) => ({
      sourceId,
      findings: s.findings,
      byCode: Object.fromEntries([...s.byCode.entries()].sort(([a], [b]) => a.localeCompare(b))),
      topUnmappedCodes: [...s.unmapped.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).slice(0, top),
    }));
}
