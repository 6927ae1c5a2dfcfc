import type { QualityFinding } from '../../../shared/domain/quality.ts';
import { isMessageKey, type MessageKey, type MessageParams } from '../../i18n/catalogs.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A word for a code the core sent, or the fallback's wording when this build has none for it. */
function word(t: Translate, prefix: string, code: string | undefined, fallback: MessageKey, params?: MessageParams): string {
  const key = `${prefix}${code ?? ''}`;
  return t(code !== undefined && isMessageKey(key) ? key : fallback, params);
}

/** The finding's parameters in the reader's language: analytes, 身份证 problems and fields named, not coded. */
function wordedParams(t: Translate, f: QualityFinding): MessageParams {
  const p = f.params ?? {};
  const conflictField = `conflict.field.${p.field ?? ''}`;
  return {
    system: p.system ? p.system : t('quality.system.none'),
    code: p.code ?? '',
    unit: p.unit ?? '',
    expected: p.expected ?? '',
    bound: p.bound ?? '',
    analyte: word(t, 'quality.analyte.', p.analyte, 'quality.analyte.unknown', { loinc: p.loinc ?? '' }),
    side: t(p.side === 'low' ? 'quality.side.low' : 'quality.side.high'),
    problem: word(t, 'quality.problem.', p.problem, 'quality.problem.unknown'),
    warning: word(t, 'sources.warning.', p.warning, 'sources.warning.unknown'),
    field:
      f.code === 'value-conflict'
        ? t(isMessageKey(conflictField) ? conflictField : 'quality.field.other')
        : word(t, 'quality.field.', p.field, 'quality.field.unknown'),
  };
}

/** One line per finding, in the reader's language; the core sends codes and parameters only. */
export function qualityReasons(t: Translate, findings: readonly QualityFinding[]): string[] {
  const lines = findings.map((f) => t(`quality.${f.code}` as MessageKey, wordedParams(t, f)));
  return [...new Set(lines)];
}

/** The findings the row marks: a value conflict already has its own mark. */
export function markedFindings(entry: { quality?: readonly QualityFinding[] }): readonly QualityFinding[] {
  return (entry.quality ?? []).filter((f) => f.code !== 'value-conflict');
}
