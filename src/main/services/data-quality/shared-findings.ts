import type { QualityCode, QualityFinding, QualitySeverity } from '../../../shared/domain/quality.ts';

/** Findings that carry no parameters: one bit each, so an entry's set of them is one number. */
export const PLAIN = {
  missingCode: 1,
  missingTime: 2,
  missingTimeInfo: 4,
  futureDate: 8,
  missingSubject: 16,
  numericAsText: 32,
  duplicateId: 64,
  numericSentAsText: 128,
} as const;

const PLAIN_KINDS: readonly {
  bit: number;
  code: QualityCode;
  severity: QualitySeverity;
  field: (type: string, subject: string) => string;
}[] = [
  { bit: PLAIN.missingCode, code: 'missing-code', severity: 'error', field: (t) => `${t}.code` },
  { bit: PLAIN.missingTime, code: 'missing-time', severity: 'warning', field: (t) => `${t}.effective` },
  { bit: PLAIN.missingTimeInfo, code: 'missing-time', severity: 'info', field: (t) => `${t}.effective` },
  { bit: PLAIN.futureDate, code: 'future-date', severity: 'error', field: (t) => `${t}.effective` },
  { bit: PLAIN.missingSubject, code: 'missing-subject', severity: 'error', field: (t, s) => `${t}.${s}` },
  { bit: PLAIN.numericAsText, code: 'numeric-as-text', severity: 'warning', field: (t) => `${t}.valueString` },
  { bit: PLAIN.numericSentAsText, code: 'numeric-as-text', severity: 'warning', field: (t) => `${t}.valueQuantity` },
  { bit: PLAIN.duplicateId, code: 'duplicate-id', severity: 'warning', field: (t) => `${t}.id` },
];

/**
 * The frozen arrays of parameterless findings, one per (source, resource type, set of kinds):
 * a record whose results all lack a subject shares one array and one finding, rather than
 * making 100,000 of each — the checks must add little to the timeline build (issue 19).
 */
export class SharedFindings {
  readonly #bySource = new Map<string, Map<string, Map<number, readonly QualityFinding[]>>>();

  get(sourceId: string, resourceType: string, subjectField: string, mask: number): readonly QualityFinding[] {
    let byType = this.#bySource.get(sourceId);
    if (!byType) this.#bySource.set(sourceId, (byType = new Map()));
    let byMask = byType.get(resourceType);
    if (!byMask) byType.set(resourceType, (byMask = new Map()));
    let found = byMask.get(mask);
    if (!found) {
      found = Object.freeze(
        PLAIN_KINDS.filter((k) => (mask & k.bit) !== 0).map((k) =>
          Object.freeze({ code: k.code, severity: k.severity, sourceId, resourceType, field: k.field(resourceType, subjectField) }),
        ),
      );
      byMask.set(mask, found);
    }
    return found;
  }
}
