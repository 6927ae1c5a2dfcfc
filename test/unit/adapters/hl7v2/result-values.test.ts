/** OBX values and units (issue 14 item 7; item 6 for HL7 v2): synthetic messages in the shapes Chinese LIS send. */
import type { Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { VALUE_SENT_AS_TEXT_EXTENSION } from '../../../../src/shared/domain/quality.ts';

const UCUM = 'http://unitsofmeasure.org';
const HEAD =
  'MSH|^~\\&|LIS|HOSP|HIS|HOSP|20250630100000+0800||ORU^R01|M1|P|2.4\rPID|1||L1^^^LIS^MR||测试^甲\rOBR|1||R1|BIO^生化|||20250630080000';

function observation(obx: string): Observation {
  const resources = convertHl7Message(parseHl7Message(`${HEAD}\r${obx}`)).map((r) => r.resource);
  const found = resources.find((r): r is Observation => r.resourceType === 'Observation');
  if (!found) throw new Error('no Observation');
  return found;
}

describe('numeric results sent as text', () => {
  it.each([
    ['ST', '5.6', { value: 5.6 }],
    ['ST', ' 5.60 ', { value: 5.6 }],
    ['TX', '5.6', { value: 5.6 }],
    ['', '5.6', { value: 5.6 }],
    ['ST', '<0.5', { value: 0.5, comparator: '<' }],
    ['ST', '>1000', { value: 1000, comparator: '>' }],
    ['ST', '>= 10', { value: 10, comparator: '>=' }],
    ['ST', '≤3', { value: 3, comparator: '<=' }],
    ['ST', '＜0.1', { value: 0.1, comparator: '<' }],
    ['NM', '-1.5', { value: -1.5 }],
  ])('OBX-2 %s "%s" becomes a Quantity with its OBX-6 unit', (type, value, expected) => {
    const o = observation(`OBX|1|${type}|GLU^葡萄糖||${value}|mmol/L|3.9-6.1||||F`);
    // A number sent in a text field keeps the text as sent (the data-quality checks report it); NM needs no note.
    const sent = type === 'NM' ? {} : { extension: [{ url: VALUE_SENT_AS_TEXT_EXTENSION, valueString: value.trim() }] };
    expect(o.valueQuantity).toEqual({ ...sent, ...expected, unit: 'mmol/L', system: UCUM, code: 'mmol/L' });
    expect(o.valueString).toBeUndefined();
  });

  it.each(['阴性', '+', '1+', '5.6 mmol/L', '3-5', '见报告', '1,000', '0x10', '1e3'])('ST "%s" stays text', (value) => {
    const o = observation(`OBX|1|ST|X^项目||${value}|mmol/L`);
    expect(o.valueString).toBe(value);
    expect(o.valueQuantity).toBeUndefined();
  });

  it('a TX of several lines stays text even when its first line is a number', () => {
    expect(observation('OBX|1|TX|X^备注||5~mmol/L|').valueString).toBe('5\nmmol/L');
  });

  it('an ST number without a unit is a Quantity without one', () => {
    expect(observation('OBX|1|ST|SG^比重||1.020|').valueQuantity).toEqual({
      extension: [{ url: VALUE_SENT_AS_TEXT_EXTENSION, valueString: '1.020' }],
      value: 1.02,
    });
  });
});

describe('units in OBX-6', () => {
  it.each([
    ['毫摩尔/升', 'mmol/L'],
    ['μmol/L', 'umol/L'],
    ['10\\S\\9/L', '10*9/L', '10^9/L'],
    ['10^9/L', '10*9/L'],
    ['×10^12/L', '10*12/L'],
    ['个/HP', '/[HPF]'],
    ['mmHg', 'mm[Hg]'],
    ['℃', 'Cel'],
    ['G/L', 'g/L'],
  ])('"%s" is kept as written, coded as UCUM %s', (written, code, unit = written) => {
    expect(observation(`OBX|1|NM|X^项目||4.5|${written}`).valueQuantity).toEqual({ value: 4.5, unit, system: UCUM, code });
  });

  it('a unit that is not UCUM is text with no system or code, in the value and the range', () => {
    const o = observation('OBX|1|NM|X^项目||2.1|P/N|0-1');
    expect(o.valueQuantity).toEqual({ value: 2.1, unit: 'P/N' });
    expect(o.referenceRange?.[0]?.high).toEqual({ value: 1, unit: 'P/N' });
  });

  it('an unescaped "10^9/L" (two components) is read as one unit, as LIS send it', () => {
    expect(observation('OBX|1|NM|WBC^白细胞||6.2|10^9/L|4-10').referenceRange?.[0]?.low).toEqual({
      value: 4,
      unit: '10^9/L',
      system: UCUM,
      code: '10*9/L',
    });
  });

  it('OBX-6 with a code and a text: the text is shown, the UCUM code kept', () => {
    expect(observation('OBX|1|NM|X^项目||4.5|mmol/L^毫摩尔每升^UCUM').valueQuantity).toEqual({
      value: 4.5,
      unit: '毫摩尔每升',
      system: UCUM,
      code: 'mmol/L',
    });
  });

  it('OBX-6 with a local code and a UCUM text: coded from the text', () => {
    expect(observation('OBX|1|NM|X^项目||4.5|U01^g/L^L').valueQuantity).toEqual({ value: 4.5, unit: 'g/L', system: UCUM, code: 'g/L' });
  });

  it('a 100,000-character OBX-6 converts in well under a second (issue 13 item 5)', () => {
    const unit = '9'.repeat(100_000);
    const started = performance.now();
    const o = observation(`OBX|1|NM|X^项目||4.5|${unit}|1-${unit.length}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(o.valueQuantity?.code).toBeUndefined();
  });
});

describe('OBX-3 codes as Chinese LIS write them', () => {
  it('the abbreviation in the alternate text (no alternate code) is kept as a display-only coding', () => {
    const o = observation('OBX|1|ST|0301046^*葡萄糖^^^GLU||4.86|^mmol/L');
    expect(o.code.coding?.map((c) => c.code ?? c.display)).toEqual(['0301046', 'GLU']);
    expect(o.code.coding?.[1]).toEqual({ display: 'GLU' });
    expect(o.code.text).toBe('*葡萄糖');
  });

  it('a code labelled LN that cannot be LOINC stays a local code', () => {
    const o = observation('OBX|1|ST|1038^检查印象^LN||窦性心律');
    expect(o.code.coding?.[0]?.system).not.toBe('http://loinc.org');
    expect(o.code.coding?.[0]).toMatchObject({ code: '1038', display: '检查印象' });
  });

  it.each(['2345-7', '718-7', 'LP14635-4', 'LA6576-8'])('%s labelled LN is LOINC', (code) => {
    expect(observation(`OBX|1|NM|${code}^X^LN||1`).code.coding?.[0]?.system).toBe('http://loinc.org');
  });

  it('a LOINC code with a wrong check digit is not', () => {
    expect(observation('OBX|1|NM|2345-8^Glucose^LN||1').code.coding?.[0]?.system).not.toBe('http://loinc.org');
  });
});

describe('reference ranges', () => {
  it('a range split by the subcomponent separator ("4.50&5.90", as in HAPI\'s examples) has low and high', () => {
    const o = observation('OBX|3|NM|410^HEMATIES RECUENTO||4.46|10*12/L|4.50&5.90|||A|F');
    expect(o.referenceRange?.[0]).toMatchObject({ low: { value: 4.5 }, high: { value: 5.9 }, text: '4.50&5.90' });
  });

  it('free text stays text', () => {
    expect(observation('OBX|1|ST|H^溶血程度||13.00||轻：31-49，中：50-69').referenceRange?.[0]).toEqual({ text: '轻：31-49，中：50-69' });
  });
});

describe('abnormal flags (OBX-8)', () => {
  const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
  it.each([
    ['H', 'H'],
    ['↑', 'H'],
    ['↓', 'L'],
    ['高', 'H'],
    ['偏低', 'L'],
    ['阳性', 'POS'],
    ['hh', 'HH'],
  ])('"%s" → %s', (flag, code) => {
    expect(observation(`OBX|1|NM|X^项目||9|mmol/L|3-6|${flag}`).interpretation?.[0]?.coding?.[0]).toMatchObject({ system: V3, code });
  });

  it('a flag that is no 0078 code stays text, with no code system claimed', () => {
    expect(observation('OBX|1|NM|X^项目||5|mmol/L|3-6|M').interpretation).toEqual([{ text: 'M' }]);
    expect(observation('OBX|1|NM|X^项目||5|mmol/L|3-6|toString').interpretation).toEqual([{ text: 'toString' }]);
  });
});

describe('dates written with separators', () => {
  it('OBX-14 "2019-08-12 14:58:20" is the observation time, in the default zone', () => {
    expect(observation('OBX|1|NM|X^项目||5|mmol/L|||||F|||2019-08-12 14:58:20').effectiveDateTime).toBe('2019-08-12T14:58:20+08:00');
  });

  it('a birth date "1994/1/2" in PID-7', () => {
    const resources = convertHl7Message(
      parseHl7Message('MSH|^~\\&|LIS|H|HIS|H|20250101||ADT^A04|1|P|2.4\rPID|1||X^^^LIS||测试^乙||1994/1/2|F'),
    );
    expect(resources.find((r) => r.resource.resourceType === 'Patient')?.resource).toMatchObject({ birthDate: '1994-01-02' });
  });

  it.each(['2019-13-01', '2019-08-12 25:00', '12/08/2019', '2019-08'])('"%s" is no date', (value) => {
    expect(observation(`OBX|1|NM|X^项目||5|mmol/L|||||F|||${value}`).effectiveDateTime).toBe('2025-06-30T08:00:00+08:00');
  });
});

describe('shapes seen in Chinese LIS results', () => {
  it('"^10^9/L" — the unit meant for component 2, its caret unescaped — is read as one unit', () => {
    expect(observation('OBX|1|NM|0101001^白细胞||10.73|^10^9/L|3.5-9.5|↑').valueQuantity).toEqual({
      value: 10.73,
      unit: '10^9/L',
      system: UCUM,
      code: '10*9/L',
    });
  });

  it('"^10\\S\\9/L" — escaped — likewise', () => {
    expect(observation('OBX|1|NM|0101001^白细胞||10.73|^10\\S\\9/L|3.5-9.5').valueQuantity?.code).toBe('10*9/L');
  });

  it('a range "0.4--8" is 0.4 to 8', () => {
    expect(observation('OBX|4|NM|0101011^嗜酸性粒细胞比率||0.4|^%|0.4--8').referenceRange?.[0]).toMatchObject({
      low: { value: 0.4 },
      high: { value: 8 },
    });
  });

  it('a time in ISO basic format ("20240615T103000")', () => {
    expect(observation('OBX|1|NM|WBC^白细胞||6.5|10^9/L|3.5-9.5|N|||F|||20240615T103000').effectiveDateTime).toBe(
      '2024-06-15T10:30:00+08:00',
    );
  });
});

describe('names from the message never reach Object.prototype', () => {
  it('an assigning authority "constructor" or "toString" gets a system URI of its own', () => {
    const resources = convertHl7Message(
      parseHl7Message('MSH|^~\\&|LIS|H|HIS|H|20250101||ADT^A04|1|P|2.4\rPID|1||X1^^^constructor~X2^^^toString||测试'),
    );
    const patient = resources.find((r) => r.resource.resourceType === 'Patient')?.resource as Patient;
    expect(patient.identifier?.map((i) => i.system)).toEqual([
      'urn:huizhen:hl7v2:authority:constructor',
      'urn:huizhen:hl7v2:authority:toString',
    ]);
  });
});

describe('free text with delimiters the sender left unescaped', () => {
  it.each([
    ['TX', '血压 120^80 mmHg，心率 72', '血压 120^80 mmHg，心率 72'],
    ['FT', '所见：肝脏^胆囊未见异常\\.br\\印象：正常', '所见：肝脏^胆囊未见异常\n印象：正常'],
    ['ST', 'Staphylococcus aureus^MSSA&敏感', 'Staphylococcus aureus^MSSA&敏感'],
    ['TX', '第一行^~第二行', '第一行\n第二行'],
  ])('OBX-2 %s keeps everything after a raw "^" or "&"', (type, value, expected) => {
    expect(observation(`OBX|1|${type}|IMP^印象||${value}||||||F`).valueString).toBe(expected);
  });
});

describe('coded results (CE/CWE) in the shapes senders use', () => {
  it('a bare number in a CE with a unit (v2.3 LIS that type every result CE) is a Quantity, not a code', () => {
    const o = observation('OBX|1|CE|OB^血沉||15|mm/h|0-20|||||F');
    expect(o.valueQuantity).toMatchObject({ value: 15, unit: 'mm/h', code: 'mm/h' });
    expect(o.valueCodeableConcept).toBeUndefined();
  });

  it('a numeric code without unit or range stays a code', () => {
    expect(observation('OBX|1|CWE|RES^结果||1^^L||||||F').valueCodeableConcept?.coding?.[0]?.code).toBe('1');
  });

  it('repeated answers (two organisms) are each kept, as components with their own codes', () => {
    const o = observation('OBX|1|CWE|ORG^培养结果^L||EC^大肠埃希菌^L~KP^肺炎克雷伯菌^L||||||F');
    expect(o.valueCodeableConcept).toBeUndefined();
    expect(o.component?.map((c) => [c.code.text, c.valueCodeableConcept?.coding?.[0]?.code, c.valueCodeableConcept?.text])).toEqual([
      ['培养结果', 'EC', '大肠埃希菌'],
      ['培养结果', 'KP', '肺炎克雷伯菌'],
    ]);
  });

  it('one answer stays the value', () => {
    expect(observation('OBX|1|CE|ABO^血型||A^A型^L~||||||F').valueCodeableConcept?.text).toBe('A型');
  });
});

describe('NM with more than the number', () => {
  it('keeps a second reading after the number ("2.5^(25,7 %)") as a note beside the Quantity', () => {
    const o = observation('OBX|1|NM|5082^LYM#^LIS||2.5^(25,7 %)|K/uL|0,6- 4,1|N|||F');
    expect(o.valueQuantity?.value).toBe(2.5);
    expect(o.note).toEqual([{ text: '(25,7 %)' }]);
  });

  it('a plain number has no note, and a non-number stays text whole', () => {
    expect(observation('OBX|1|NM|WBC^白细胞||5.6|10*9/L').note).toBeUndefined();
    expect(observation('OBX|1|NM|HBsAg^乙肝表面抗原||阴性^弱').valueString).toBe('阴性^弱');
  });
});
