import type { QualityFinding } from '../../../shared/domain/quality.ts';
import type { MessageKey, MessageParams } from '../../i18n/catalogs.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** One line per finding, in the reader's language; the core sends codes and parameters only. */
export function qualityReasons(t: Translate, findings: readonly QualityFinding[]): string[] {
  const lines = findings.map((f) =>
    t(`quality.${f.code}` as MessageKey, {
      system: '',
      code: '',
      unit: '',
      expected: '',
      analyte: '',
      bound: '',
      problem: '',
      field: '',
      ...f.params,
    }),
  );
  return [...new Set(lines)];
}

/** The findings the row marks: a value conflict already has its own mark. */
export function markedFindings(entry: { quality?: readonly QualityFinding[] }): readonly QualityFinding[] {
  return (entry.quality ?? []).filter((f) => f.code !== 'value-conflict');
}
