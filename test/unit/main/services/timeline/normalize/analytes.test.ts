/** The local-code → LOINC table (issue 14 item 7): well-formed, unambiguous, and read through normalizeLab. */
import type { Observation } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoincCode as loincCheckDigitOk } from '../../../../../../src/adapters/hl7v2/to-fhir/loinc-code.ts';
import { isValidUcum } from '../../../../../../src/adapters/units/index.ts';
import {
  ANALYTES,
  analyteByLocalName,
  labCodeUsage,
  useLabCodeMappings,
} from '../../../../../../src/main/services/timeline/normalize/analytes.ts';
import { normalizeLab } from '../../../../../../src/main/services/timeline/normalize/normalize-lab.ts';

describe('the analyte table', () => {
  it.each(ANALYTES.map((a) => [a.key, a] as const))(
    '%s: LOINC codes with valid check digits, the canonical one among them, a UCUM unit, a source name',
    (_key, a) => {
      for (const code of a.loincs) expect(loincCheckDigitOk(code), code).toBe(true);
      expect(a.loincs).toContain(a.canonicalLoinc);
      expect(isValidUcum(a.canonicalUnit)).toBe(true);
      expect(a.loincName.length).toBeGreaterThan(5);
    },
  );

  it('the check-digit test itself tells a wrong digit', () => {
    expect(loincCheckDigitOk('2345-7')).toBe(true);
    expect(loincCheckDigitOk('2345-8')).toBe(false);
  });

  it('no local name or LOINC belongs to two analytes', () => {
    const names = ANALYTES.flatMap((a) => a.localNames.map((n) => n.toUpperCase()));
    expect(new Set(names).size).toBe(names.length);
    const codes = ANALYTES.flatMap((a) => a.loincs);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each([
    ['葡萄糖', 'glucose'],
    ['GLU', 'glucose'],
    ['肌酐', 'creatinine'],
    ['CREA', 'creatinine'],
    ['钾', 'potassium'],
    ['K', 'potassium'],
    ['钠', 'sodium'],
    ['NA', 'sodium'],
    ['氯', 'chloride'],
    ['CL', 'chloride'],
    ['血红蛋白', 'hemoglobin'],
    ['HGB', 'hemoglobin'],
    ['白细胞', 'wbc'],
    ['WBC', 'wbc'],
    ['红细胞', 'rbc'],
    ['RBC', 'rbc'],
    ['血小板', 'platelets'],
    ['PLT', 'platelets'],
    ['ALT', 'alt'],
    ['AST', 'ast'],
    ['TBIL', 'bilirubin-total'],
    ['BUN', 'urea-nitrogen'],
    ['尿素', 'urea'],
    ['UA', 'uric-acid'],
    ['尿酸', 'uric-acid'],
    ['TG', 'triglyceride'],
    ['TC', 'cholesterol-total'],
    ['HDL', 'hdl-c'],
    ['LDL', 'ldl-c'],
    ['CRP', 'crp'],
    ['降钙素原', 'procalcitonin'],
    ['INR', 'inr'],
    ['PT', 'pt'],
    ['APTT', 'aptt'],
    ['ldl-c', 'ldl-c'],
    ['*葡萄糖', 'glucose'],
    ['★肌酐', 'creatinine'],
    ['*γ谷氨酰转肽酶', 'ggt'],
    ['IBIL', 'bilirubin-indirect'],
  ])('%s → %s', (name, key) => {
    expect(analyteByLocalName(name)?.key).toBe(key);
  });

  it('a bracketed qualifier is part of the name: 白细胞(高倍视野) is no blood count', () => {
    expect(analyteByLocalName('白细胞(高倍视野)')).toBeUndefined();
  });

  it('PCT is not mapped: procalcitonin in chemistry, plateletcrit in a blood count', () => {
    expect(analyteByLocalName('PCT')).toBeUndefined();
  });
});

describe('normalizeLab with Chinese LIS codes', () => {
  const obs = (code: string, text: string, value: number, unit: string): Observation => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'urn:huizhen:hl7v2:local:LIS', code }], text },
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  });

  it('a local code gets its canonical LOINC, the value its SI unit', () => {
    expect(normalizeLab(obs('TG', '甘油三酯', 150, 'mg/dL'))).toMatchObject({
      analyte: 'triglyceride',
      loinc: '14927-8',
      unit: 'mmol/L',
      value: 1.694,
    });
    expect(normalizeLab(obs('BUN', '尿素氮', 14, 'mg/dL'))).toMatchObject({
      analyte: 'urea-nitrogen',
      loinc: '14937-7',
      unit: 'mmol/L',
      value: 4.998,
    });
    expect(normalizeLab(obs('X01', '肌酐', 1, 'mg/dL'))).toMatchObject({ analyte: 'creatinine', loinc: '14682-9', value: 88.402 });
    expect(normalizeLab(obs('CL', '氯', 101, 'mmol/L'))).toMatchObject({
      analyte: 'chloride',
      loinc: '2075-0',
      value: 101,
      original: { code: 'CL' },
    });
  });
});

describe('local names not trusted for a measurement that cannot be the analyte', () => {
  const qty = (code: string, name: string, value: number, unit: string, ucum?: string): Observation => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'urn:x', code }], text: name },
    valueQuantity: { value, unit, ...(ucum ? { system: 'http://unitsofmeasure.org', code: ucum } : {}) },
  });

  it('"红细胞" counted per high-power field is not the blood count', () => {
    expect(normalizeLab(qty('RBC', '红细胞', 3, '个/HP', '/[HPF]'))?.analyte).toBeUndefined();
  });

  it('a number in a fitting unit, or with none, is', () => {
    expect(normalizeLab(qty('GLU', '葡萄糖', 5.6, 'mmol/L', 'mmol/L'))?.analyte).toBe('glucose');
    expect(normalizeLab(qty('INR', 'INR', 1.1, ''))?.analyte).toBe('inr');
  });
});

describe('the hospital-configured local codes, over the built-in ones', () => {
  const result = (code: string, value: number, unit: string): Observation => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'urn:lis:local', code }] },
    valueQuantity: { value, unit },
  });
  afterEach(() => useLabCodeMappings([]));

  it('a configured code maps to its analyte and converts; the built-in entries still map; each counts its uses', () => {
    useLabCodeMappings([{ code: 'XT-GLU', loinc: '2345-7' }]);
    expect(normalizeLab(result('xt-glu', 90, 'mg/dL'))).toMatchObject({ analyte: 'glucose', loinc: '14749-6', value: 4.996 });
    expect(normalizeLab(result('XT-GLU', 5.1, 'mmol/L'))).toMatchObject({ analyte: 'glucose', value: 5.1, original: { code: 'XT-GLU' } });
    expect(normalizeLab(result('CREA', 80, 'umol/L'))?.analyte).toBe('creatinine');
    const usage = labCodeUsage();
    expect(usage).toContainEqual({ code: 'XT-GLU', loinc: '2345-7', origin: 'configured', uses: 2 });
    expect(usage).toContainEqual({ code: 'CREA', loinc: '14682-9', origin: 'built-in', uses: 1 });
    expect(usage).toContainEqual({ code: 'GLU', loinc: '14749-6', origin: 'built-in', uses: 0 });
  });

  it('a configured code wins over a built-in one, and a LOINC without an analyte maps the code but keeps the value as sent', () => {
    useLabCodeMappings([
      { code: 'K', loinc: '2160-0' },
      { code: 'XT-TSH', loinc: '3016-3' },
    ]);
    expect(normalizeLab(result('K', 80, 'umol/L'))?.analyte).toBe('creatinine');
    expect(normalizeLab(result('XT-TSH', 2.1, 'm[IU]/L'))).toMatchObject({ analyte: undefined, loinc: '3016-3', value: 2.1 });
    expect(labCodeUsage().filter((e) => e.code === 'K')).toEqual([
      { code: 'K', loinc: '2823-3', origin: 'built-in', uses: 0 },
      { code: 'K', loinc: '2160-0', origin: 'configured', uses: 1 },
    ]);
  });

  it('setting the table again starts the counts again and drops codes no longer configured', () => {
    useLabCodeMappings([{ code: 'XT-GLU', loinc: '2345-7' }]);
    normalizeLab(result('XT-GLU', 5.1, 'mmol/L'));
    useLabCodeMappings([]);
    expect(normalizeLab(result('XT-GLU', 5.1, 'mmol/L'))?.analyte).toBeUndefined();
    expect(labCodeUsage().every((e) => e.uses === 0 && e.origin === 'built-in')).toBe(true);
  });
});
