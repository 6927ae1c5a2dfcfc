import { describe, expect, it } from 'vitest';
import { catalogs, interpolate, LOCALES, type MessageKey } from '../../../../../src/renderer/i18n/catalogs.ts';
import { markedFindings, qualityReasons } from '../../../../../src/renderer/features/timeline/quality-text.ts';
import { QualityCodeSchema, type QualityFinding } from '../../../../../src/shared/domain/quality.ts';
import { ResidentIdProblemSchema } from '../../../../../src/shared/domain/link-reasons.ts';
import { ANALYTES } from '../../../../../src/main/services/timeline/normalize/analytes.ts';

const tr = (locale: (typeof LOCALES)[number]) => (key: MessageKey, params?: Record<string, string | number>) =>
  interpolate(catalogs[locale][key], params);

/** Each kind with the parameters the core sends (src/main/services/data-quality): codes, to be worded. */
const SENT: Record<QualityFinding['code'], Record<string, string> | undefined> = {
  'unmapped-code': { system: 'urn:lis', code: 'VS-ADM' },
  'unit-not-ucum': { unit: 'uIU/毫升' },
  'unit-not-convertible': { unit: 'g/L', analyte: 'potassium', expected: 'mmol/L' },
  'implausible-value': { analyte: 'potassium', loinc: '2823-3', side: 'high', bound: '15', unit: 'mmol/L' },
  'numeric-as-text': undefined,
  'invalid-identifier': { kind: 'resident-id', problem: 'check-digit' },
  'identifier-mismatch': { kind: 'resident-id', field: 'birth-date' },
  'missing-time': undefined,
  'missing-code': undefined,
  'missing-subject': undefined,
  'future-date': undefined,
  'duplicate-id': undefined,
  'value-conflict': { field: 'value', sources: 'cdr,emr-platform' },
  'partial-answer': { warning: 'record-skipped', code: 'W-0101' },
  'unreadable-record': undefined,
};
/** Parameters meant to be shown as sent (the code IT must map, the unit as written, numbers). */
const VERBATIM = new Set(['system', 'code', 'unit', 'expected', 'bound']);

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

  it('zh-CN words every parameter of every finding kind: no analyte key, problem, field, side or source list appears raw', () => {
    const t = tr('zh-CN');
    for (const code of QualityCodeSchema.options) {
      const params = SENT[code];
      const [line] = qualityReasons(t, [finding(code, params)]);
      for (const [name, value] of Object.entries(params ?? {}))
        if (!VERBATIM.has(name)) expect(line, `${code}: ${name}`).not.toContain(value);
      // Apart from what is shown as sent, no latin word is left in the Chinese line.
      const rest = Object.entries(params ?? {})
        .filter(([name]) => VERBATIM.has(name))
        .reduce((text, [, value]) => text.split(value).join(''), line!);
      expect(rest.replace(/LOINC|SNOMED|ICD|UCUM/g, ''), code).not.toMatch(/[a-z]{2,}/i);
    }
  });

  it('the full reasons, worded in each language', () => {
    const reasons = (locale: (typeof LOCALES)[number]) =>
      qualityReasons(tr(locale), [
        finding('implausible-value', SENT['implausible-value']),
        finding('invalid-identifier', SENT['invalid-identifier']),
        finding('identifier-mismatch', { kind: 'resident-id', field: 'sex' }),
        finding('unit-not-convertible', SENT['unit-not-convertible']),
        finding('value-conflict', SENT['value-conflict']),
      ]);
    expect(reasons('zh-CN')).toEqual([
      '钾结果超出生理可能范围（上限 15 mmol/L）',
      '身份证号无效（校验位错误）',
      '性别与身份证号所含信息不符',
      '单位“g/L”无法换算为钾的单位 mmol/L',
      '各来源的结果值不一致',
    ]);
    expect(reasons('en')).toEqual([
      'value outside physiological plausibility for potassium (upper limit 15 mmol/L)',
      'Resident ID card number is invalid (wrong check digit)',
      'sex disagrees with the Resident ID card number',
      'unit “g/L” cannot be converted to mmol/L for potassium',
      'sources disagree on value',
    ]);
  });

  it('every analyte the timeline normalises and every 身份证 problem has a name in both languages', () => {
    for (const locale of LOCALES) {
      const t = tr(locale);
      for (const a of ANALYTES) {
        const [line] = qualityReasons(t, [finding('implausible-value', { ...SENT['implausible-value'], analyte: a.key })]);
        expect(line, `${locale} ${a.key}`).not.toContain('LOINC');
        if (locale === 'zh-CN') expect(catalogs['zh-CN'][`quality.analyte.${a.key}` as MessageKey], a.key).toMatch(/[\u4e00-\u9fff]/);
      }
      for (const problem of ResidentIdProblemSchema.options)
        expect(qualityReasons(t, [finding('invalid-identifier', { problem })])[0], `${locale} ${problem}`).not.toContain(problem);
    }
    // A key this build does not know is still worded, by its LOINC code, not left blank.
    expect(qualityReasons(tr('zh-CN'), [finding('implausible-value', { ...SENT['implausible-value'], analyte: 'new-thing' })])).toEqual([
      'LOINC 2823-3 项目结果超出生理可能范围（上限 15 mmol/L）',
    ]);
  });
});
