/**
 * OBX-5 ED (a PDF or HTML report inside the message): the bytes become a DocumentReference the
 * Observation is derived from, in each of the shapes senders write ED, instead of base64 read as
 * a result value. Synthetic messages in the published shapes (HL7 0191/0291, MIME, loose).
 */
import type { DocumentReference, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { encapsulatedAttachment } from '../../../../../src/adapters/hl7v2/to-fhir/encapsulated-data.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n').toString('base64');
const HEAD =
  'MSH|^~\\&|LIS|HOSP|HIS|HOSP|20250630100000+0800||ORU^R01|M1|P|2.5.1\rPID|1||L1^^^LIS^MR||测试^甲\rOBR|1||R1|RPT^检验报告|||20250630080000';

function convert(obx: string): Resource[] {
  return convertHl7Message(parseHl7Message(`${HEAD}\r${obx}`)).map((r) => r.resource);
}

describe('OBX ED → DocumentReference', () => {
  it.each([
    ['MIME style', `^application^pdf^Base64^${PDF}`, 'application/pdf'],
    ['HL7 tables 0191/0291', `LIS^AP^PDF^Base64^${PDF}`, 'application/pdf'],
    ['loose (file name as type)', `Dokument^dokument.pdf^PDF^Base64^${PDF}`, 'application/pdf'],
    ['HTML', `^TEXT^HTML^Base64^${Buffer.from('<p>报告</p>').toString('base64')}`, 'text/html'],
    ['hex', `^AP^PDF^Hex^${Buffer.from('%PDF-1.4').toString('hex')}`, 'application/pdf'],
  ])('%s: the document is kept whole, the Observation points at it and carries no base64', (_shape, ed, contentType) => {
    const out = convert(`OBX|1|ED|PDF^检验报告单^L||${ed}||||||F|||20250630090000`);
    const observation = out.find((r): r is Observation => r.resourceType === 'Observation');
    const document = out.find((r): r is DocumentReference => r.resourceType === 'DocumentReference');
    expect(observation?.valueString).toBeUndefined();
    expect(observation?.derivedFrom).toEqual([{ reference: `DocumentReference/${document?.id}` }]);
    const attachment = document?.content[0]?.attachment;
    expect(attachment).toMatchObject({ contentType, title: '检验报告单' });
    expect(Buffer.from(attachment?.data ?? '', 'base64').length).toBe(attachment?.size);
    expect(document?.subject?.reference).toMatch(/^Patient\//);
    expect(document?.context?.related?.[0]?.reference).toMatch(/^DiagnosticReport\//);
  });

  it('the document is its own record of the OBX (its own native id), so a timeline keeps it beside the result', () => {
    const out = convertHl7Message(parseHl7Message(`${HEAD}\rOBX|1|ED|PDF^检验报告单^L||^application^pdf^Base64^${PDF}||||||F`));
    const ids = out.filter((r) => r.resource.resourceType === 'Observation' || r.resource.resourceType === 'DocumentReference');
    expect(ids.map((r) => r.nativeId)).toEqual(['M1/OBX/1', 'M1/OBX/1/ED']);
  });

  it('an ED whose data is not what its encoding says stays text, never dropped', () => {
    const out = convert('OBX|1|ED|PDF^报告^L||^AP^PDF^Base64^not base64!||||||F');
    expect(out.find((r): r is Observation => r.resourceType === 'Observation')?.valueString).toContain('not base64!');
    expect(out.some((r) => r.resourceType === 'DocumentReference')).toBe(false);
  });

  it('reads an attachment only from a complete ED (source^type^subtype^encoding^data)', () => {
    expect(encapsulatedAttachment([['PDF'], ['Base64']], undefined)).toBeUndefined();
    expect(encapsulatedAttachment([[''], ['application'], ['pdf'], ['Base64'], [PDF]], 'x')?.contentType).toBe('application/pdf');
  });
});
