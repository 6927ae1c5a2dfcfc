import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { SourceStatus } from '../../../shared/domain/source.ts';

/**
 * A record build's partial answers as findings for the console's aggregates, so hospital IT sees
 * which system keeps answering "accepted, with warnings" and with which of its own codes. Each
 * finding goes with its count (how many warnings of that kind the answer carried). Codes only:
 * the platform's text stays in the live status, never in the kept statistics.
 */
export function answerWarningFindings(statuses: Iterable<SourceStatus>): [QualityFinding[], number][] {
  const out: [QualityFinding[], number][] = [];
  for (const status of statuses) {
    if (status.state !== 'ok' && status.state !== 'slow') continue;
    for (const w of status.warnings ?? []) {
      const finding: QualityFinding = {
        code: 'partial-answer',
        severity: 'warning',
        sourceId: status.sourceId,
        resourceType: 'Bundle',
        field: w.detailCode ? `answer.${w.code}[${w.detailCode}]` : `answer.${w.code}`,
        params: { warning: w.code, ...(w.detailCode ? { code: w.detailCode } : {}) },
      };
      out.push([[finding], w.count]);
    }
  }
  return out;
}
