/**
 * Comments (NTE) go to the segment group they follow, as HL7 v2 places them: after an OBX to that
 * result, right after an OBR to the report (or, in an order message, to the order) — never to a
 * result of an earlier OBR. Synthetic messages in the shapes LIS send.
 */
import type { DiagnosticReport, Observation, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';

const MSH = (type: string) => `MSH|^~\\&|LIS|HOSP|HIS|HOSP|20250630100000+0800||${type}|M1|P|2.5.1`;
const PID = 'PID|1||L1^^^LIS^MR||测试^甲';

function convert(...segments: string[]): Resource[] {
  return convertHl7Message(parseHl7Message(segments.join('\r'))).map((r) => r.resource);
}
const of = <T extends Resource>(resources: Resource[], type: T['resourceType']): T[] =>
  resources.filter((r): r is T => r.resourceType === type);

describe('NTE placement', () => {
  it('an NTE right after the OBR is the report’s comment (read with its conclusion), not dropped', () => {
    const out = convert(
      MSH('ORU^R01'),
      PID,
      'OBR|1||R1|BIO^生化|||20250630080000',
      'NTE|1|L|标本溶血，结果仅供参考',
      'NTE|2|L|建议复查',
      'OBX|1|NM|K^钾||5.9|mmol/L|3.5-5.3|H|||F',
    );
    expect(of<DiagnosticReport>(out, 'DiagnosticReport')[0]?.conclusion).toBe('标本溶血，结果仅供参考\n建议复查');
    expect(of<Observation>(out, 'Observation')[0]?.note).toBeUndefined();
  });

  it('an NTE after a second OBR does not land on the last result of the first one', () => {
    const out = convert(
      MSH('ORU^R01'),
      PID,
      'OBR|1||R1|BIO^生化|||20250630080000',
      'OBX|1|NM|K^钾||4.1|mmol/L|3.5-5.3||||F',
      'OBR|2||R2|CBC^血常规|||20250630080000',
      'NTE|1|L|血常规标本凝集',
      'OBX|1|NM|WBC^白细胞||6.2|10*9/L|4-10||||F',
    );
    const [bio, cbc] = of<DiagnosticReport>(out, 'DiagnosticReport');
    expect(bio?.conclusion).toBeUndefined();
    expect(cbc?.conclusion).toBe('血常规标本凝集');
    expect(of<Observation>(out, 'Observation').flatMap((o) => o.note ?? [])).toEqual([]);
  });

  it('an NTE after an order message’s OBR becomes the ServiceRequest’s note', () => {
    const out = convert(MSH('ORM^O01'), PID, 'ORC|NW|P1', 'OBR|1|P1||GLU^葡萄糖|||20250630080000', 'NTE|1|L|空腹采血');
    expect(of<ServiceRequest>(out, 'ServiceRequest')[0]?.note).toEqual([{ text: '空腹采血' }]);
  });

  it('keeps "^" and "&" that a sender left unescaped in a comment', () => {
    const out = convert(MSH('ORU^R01'), PID, 'OBR|1||R1|BIO^生化', 'OBX|1|NM|K^钾||4.1|mmol/L', 'NTE|1|L|已复核^签名&日期');
    expect(of<Observation>(out, 'Observation')[0]?.note).toEqual([{ text: '已复核^签名&日期' }]);
  });
});
