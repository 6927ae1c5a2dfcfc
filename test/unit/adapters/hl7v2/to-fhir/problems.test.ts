/**
 * PRB (the problem segment of PPR^PC1–PC3, also sent inside ADT and ORU feeds) is a problem-list
 * Condition of the message's patient: coded or text-only, resolved, deleted, with its NTE comments.
 * Synthetic messages in the shapes LinuxForHealth's PPR^PC1 sample and HL7 v2.5 chapter 12 use.
 */
import type { Condition, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';

const MSH = (type: string) => `MSH|^~\\&|EMR|HOSP|HIS|HOSP|20250630100000+0800||${type}|M1|P|2.6`;
const PID = 'PID|1||P1^^^HOSP^MR||测试^乙||19700101|M';

function convert(...segments: string[]): Resource[] {
  return convertHl7Message(parseHl7Message(segments.join('\r'))).map((r) => r.resource);
}
const conditions = (out: Resource[]) => out.filter((r): r is Condition => r.resourceType === 'Condition');
const codes = (c: Condition) => (c.code?.coding ?? []).map((x) => x.code);
const clinical = (c: Condition) => c.clinicalStatus?.coding?.[0]?.code;
const verification = (c: Condition) => c.verificationStatus?.coding?.[0]?.code;

describe('PRB → problem-list Condition', () => {
  it.each([
    ['a coded problem (CWE with ICD-10)', 'PRB|AD|20250601|I35.0^主动脉瓣狭窄^I10|P-1||||20250101', ['I35.0'], '主动脉瓣狭窄'],
    [
      'a problem given only as text in PRB-3.1',
      'PRB|AD|200603150625|aortic stenosis|53692||2||200603150625',
      ['aortic stenosis'],
      'aortic stenosis',
    ],
    ['a problem coded by SNOMED CT', 'PRB|UP|20250601|60573004^Aortic valve stenosis^SCT|P-2', ['60573004'], 'Aortic valve stenosis'],
  ])('%s is an active problem-list item of the patient', (_shape, prb, expectedCodes, text) => {
    for (const type of ['PPR^PC1', 'ADT^A08', 'ORU^R01']) {
      const out = convert(MSH(type), PID, 'PV1|1|I', prb);
      const [c, ...more] = conditions(out);
      expect(more).toEqual([]);
      expect(codes(c!)).toEqual(expectedCodes);
      expect([c!.code?.text, ...(c!.code?.coding ?? []).map((x) => x.display)]).toContain(text);
      expect(c!.category?.[0]?.coding?.[0]?.code).toBe('problem-list-item');
      expect(clinical(c!)).toBe('active');
      const patient = out.find((r) => r.resourceType === 'Patient');
      expect(c!.subject.reference).toBe(`Patient/${patient!.id}`);
    }
  });

  it('a resolution date makes it resolved, with onset and abatement', () => {
    const [c] = conditions(convert(MSH('PPR^PC2'), PID, 'PRB|UP|20250601|J18.9^肺炎^I10|P-3|||20250101||20250315|||||||20241228'));
    expect(clinical(c!)).toBe('resolved');
    expect(c!.abatementDateTime).toMatch(/^2025-03-15/);
    expect(c!.onsetDateTime).toMatch(/^2024-12-28/);
  });

  it('a deleted problem (PRB-1 DE) is entered in error, with the same id as when it was added', () => {
    const added = conditions(convert(MSH('PPR^PC1'), PID, 'PRB|AD|20250601|J18.9^肺炎^I10|P-4'))[0]!;
    const deleted = conditions(convert(MSH('PPR^PC3'), PID, 'PRB|DE|20250602|J18.9^肺炎^I10|P-4'))[0]!;
    expect(deleted.id).toBe(added.id);
    expect(verification(deleted)).toBe('entered-in-error');
    expect(deleted.clinicalStatus).toBeUndefined();
  });

  it('an NTE after the PRB is the problem’s comment; results of the order group that follows stay results', () => {
    const out = convert(
      MSH('PPR^PC1'),
      PID,
      'PRB|AD|200603150625|aortic stenosis|53692||2||200603150625',
      'NTE|1|P|Problem Comments',
      'ORC|NW|1000^OE|9999999^RX|||E|^Q6H^D10^^^R',
      'OBR|1|TESTID|TESTID|||201801180346|201801180347||||||||||||||||||F',
      'OBX|1|NM|111^TotalProtein||7.5|gm/dl|5.9-8.4||||F',
    );
    expect(conditions(out)[0]!.note).toEqual([{ text: 'Problem Comments' }]);
    const protein = out.find((r): r is Observation => r.resourceType === 'Observation');
    expect(protein?.valueQuantity).toMatchObject({ value: 7.5, system: 'http://unitsofmeasure.org', code: 'g/dL' });
    expect(protein?.note).toBeUndefined();
  });

  it('two patients in one message each keep their own problems', () => {
    const out = convert(
      MSH('PPR^PC1'),
      PID,
      'PRB|AD|20250601|I10^高血压^I10|P-5',
      'PID|2||P2^^^HOSP^MR||测试^丙',
      'PRB|AD|20250601|E11^2型糖尿病^I10|P-5',
    );
    const patients = out.filter((r) => r.resourceType === 'Patient');
    const [a, b] = conditions(out);
    expect(a!.subject.reference).toBe(`Patient/${patients[0]!.id}`);
    expect(b!.subject.reference).toBe(`Patient/${patients[1]!.id}`);
    expect(a!.id).not.toBe(b!.id);
  });
});
