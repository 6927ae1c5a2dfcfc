/**
 * RXA in immunization messages (VXU^V04 and the answers of immunization queries) → Immunization:
 * the shapes of LinuxForHealth's VXU sample and the CDC immunization guide (historical records,
 * refusals, unknown amounts "999", deletions), and an RXA of a pharmacy administration left alone.
 */
import type { Immunization, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';

const MSH = (type: string) => `MSH|^~\\&|EHR|CLINIC|IIS|STATE|20250630100000+0800||${type}|V1|P|2.5.1`;
const PID = 'PID|1||C1^^^CLINIC^MR||测试^丁||20200101|F';

function convert(...segments: string[]): Resource[] {
  return convertHl7Message(parseHl7Message(segments.join('\r'))).map((r) => r.resource);
}
const immunizations = (out: Resource[]) => out.filter((r): r is Immunization => r.resourceType === 'Immunization');

describe('RXA → Immunization', () => {
  it('a new vaccination: CVX vaccine, date, UCUM amount, lot, manufacturer, route and site from the RXR', () => {
    const out = convert(
      MSH('VXU^V04^VXU_V04'),
      PID,
      'ORC|RE||4242546^NameSpaceID',
      'RXA|0|1|20250301090000|20250301090000|08^Hep B, adolescent or pediatric^CVX|0.5|mL^MilliLiter [SI Volume Units]^UCUM||00^New immunization record^NIP001||||||L123A|20261231|MSD^Merck and Co., Inc.^MVX|||CP|A',
      'RXR|C28161^Intramuscular^NCIT|LD^Left Arm^HL70163',
    );
    const [v, ...more] = immunizations(out);
    expect(more).toEqual([]);
    expect(v?.vaccineCode.coding?.[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/cvx', code: '08' });
    expect(v?.status).toBe('completed');
    expect(v?.primarySource).toBe(true);
    expect(v?.occurrenceDateTime).toMatch(/^2025-03-01T09:00/);
    expect(v?.doseQuantity).toMatchObject({ value: 0.5, system: 'http://unitsofmeasure.org', code: 'mL' });
    expect(v?.lotNumber).toBe('L123A');
    expect(v?.expirationDate).toBe('2026-12-31');
    expect(v?.manufacturer?.display).toBe('Merck and Co., Inc.');
    expect(v?.route?.coding?.[0]?.code).toBe('C28161');
    expect(v?.site?.coding?.[0]?.code).toBe('LD');
    expect(v?.patient.reference).toBe(`Patient/${out.find((r) => r.resourceType === 'Patient')?.id ?? ''}`);
  });

  it.each([
    [
      'a historical record (RXA-9 01) with the unknown amount 999',
      'RXA|0|1|20190101|20190101|03^MMR^CVX|999|||01^Historical information - source unspecified^NIP001',
      'completed',
      false,
      undefined,
    ],
    [
      'a refusal (RXA-20 RE)',
      'RXA|0|1|20250301|20250301|88^influenza, unspecified formulation^CVX|0||||||||||||00^Parental decision^NIP002||RE',
      'not-done',
      true,
      0,
    ],
    [
      'a deletion (RXA-21 D)',
      'RXA|0|1|20250301|20250301|08^Hep B^CVX|0.5|mL^^UCUM||00^New^NIP001|||||||||||CP|D',
      'entered-in-error',
      true,
      0.5,
    ],
  ])('%s', (_shape, rxa, status, primarySource, dose) => {
    const [v] = immunizations(convert(MSH('VXU^V04'), PID, 'ORC|RE||1', rxa));
    expect(v?.status).toBe(status);
    expect(v?.primarySource).toBe(primarySource);
    expect(v?.doseQuantity?.value).toBe(dose);
  });

  it('a CVX-coded RXA outside a VXU (an immunization query answer) is a vaccination too; a RAS drug administration is not', () => {
    expect(immunizations(convert(MSH('RSP^K11'), PID, 'ORC|RE||1', 'RXA|0|1|20250301|20250301|08^Hep B^CVX|0.5|mL'))).toHaveLength(1);
    expect(immunizations(convert(MSH('RAS^O17'), PID, 'ORC|RE||1', 'RXA|0|1|20250301|20250301|Y0001^阿托伐他汀钙片^HIS|20|mg'))).toEqual(
      [],
    );
  });

  it('each RXA keeps its own route; an RXR with no RXA before it changes nothing', () => {
    const out = convert(
      MSH('VXU^V04'),
      PID,
      'ORC|RE||1',
      'RXA|0|1|20250301|20250301|08^Hep B^CVX|0.5|mL',
      'RXR|C28161^Intramuscular^NCIT',
      'ORC|RE||2',
      'RXR|C38238^Intradermal^NCIT',
      'RXA|0|1|20250301|20250301|03^MMR^CVX|0.5|mL',
      'RXR|C38299^Subcutaneous^NCIT',
    );
    expect(immunizations(out).map((v) => v.route?.coding?.[0]?.code)).toEqual(['C28161', 'C38299']);
  });
});
