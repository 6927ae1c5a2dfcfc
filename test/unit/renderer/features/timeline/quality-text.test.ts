import { describe, expect, it } from 'vitest';
import { catalogs, interpolate, LOCALES, type MessageKey } from '../../../../../src/renderer/i18n/catalogs.ts';
import { markedFindings, qualityReasons } from '../../../../../src/renderer/features/timeline/quality-text.ts';
import { QualityCodeSchema, type QualityFinding } from '../../../../../src/shared/domain/quality.ts';

const finding = (code: QualityFinding['code'], params?: Record<string, string>): QualityFinding => ({
  code,
  severity: 'warning',
  sourceId: 'lis',
  resourceType: 'Observation',
  field: 'Observation.code',
  params,
});

describe('quality marker wording', () => {
  it('every finding kind is worded in zh-CN and en, with no placeholder left', () => {
    for (const locale of LOCALES) {
      const t = (key: MessageKey, params?: Record<string, string | number>) => interpolate(catalogs[locale][key], params);
      for (const code of QualityCodeSchema.options) {
        const [line] = qualityReasons(t, [finding(code)]);
        expect(line, `${locale} ${code}`).toBeTruthy();
        expect(line).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('says which local code is unmapped, and marks nothing a conflict mark already shows', () => {
    const t = (key: MessageKey, params?: Record<string, string | number>) => interpolate(catalogs['zh-CN'][key], params);
    expect(qualityReasons(t, [finding('unmapped-code', { system: 'urn:lis', code: 'VS-ADM' })])).toEqual([
      '本地编码 VS-ADM（urn:lis）未映射到 LOINC/SNOMED/ICD',
    ]);
    expect(markedFindings({ quality: [finding('value-conflict', { field: 'value' })] })).toEqual([]);
    expect(markedFindings({})).toEqual([]);
  });
});
