import { describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../../../../src/renderer/i18n/catalogs.ts';
import { answeredWithWarnings, sourceWarningLines } from '../../../../../src/renderer/features/sources/source-warning-text.ts';
import { AnswerWarningCodeSchema, type SourceStatus } from '../../../../../src/shared/domain/source.ts';

const words = (locale: Locale) => ({
  t: (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(locale, key, params),
});

const partial: SourceStatus = {
  sourceId: 'emr-platform',
  name: '集成平台',
  kind: 'hl7v3',
  state: 'ok',
  warnings: [
    { code: 'platform-warning', count: 3, detailCode: 'RESULT-TRUNCATED' },
    { code: 'record-skipped', count: 1 },
  ],
};

describe('an answer with warnings in the reader’s language', () => {
  it('says "answered, with N warnings" — a partial answer never reads as complete — and each kind with its count', () => {
    expect(answeredWithWarnings(partial)).toBe(4);
    expect(sourceWarningLines(words('zh-CN'), partial)).toEqual([
      '已应答，但有 4 条警告：应答可能不完整',
      '系统返回警告 ×3: RESULT-TRUNCATED',
      '有记录无法读取，已略去 ×1',
    ]);
    expect(sourceWarningLines(words('en'), partial)).toEqual([
      'answered, with 4 warnings: part of the answer may be missing',
      'the system warned ×3: RESULT-TRUNCATED',
      'a record was unreadable and left out ×1',
    ]);
  });

  it('words every warning code in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const code of AnswerWarningCodeSchema.options) {
        const [, line] = sourceWarningLines(words(locale), { ...partial, warnings: [{ code, count: 2 }] });
        expect(line, `${locale} ${code}`).not.toContain(code);
        expect(line).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('says nothing for a whole answer, and nothing of warnings once the source failed or is cached', () => {
    expect(sourceWarningLines(words('en'), { ...partial, warnings: undefined })).toEqual([]);
    expect(answeredWithWarnings({ ...partial, state: 'failed' })).toBe(0);
    expect(answeredWithWarnings({ ...partial, state: 'cached' })).toBe(0);
    expect(answeredWithWarnings({ ...partial, state: 'slow' })).toBe(4);
  });
});
