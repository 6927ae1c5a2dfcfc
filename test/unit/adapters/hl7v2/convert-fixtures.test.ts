/** Conversion of real messages written by others (origins in test/fixtures/hl7v2/README.md). */
import { readFileSync } from 'node:fs';
import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  DiagnosticReport,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
  Provenance,
  Resource,
} from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { convertHl7v2ToBundle } from '../../../../src/adapters/hl7v2/to-fhir/to-bundle.ts';
import { Hl7ParseError } from '../../../../src/adapters/hl7v2/hl7-parse-error.ts';

const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../../fixtures/hl7v2/${path}`, import.meta.url)));
const all = <R extends Resource>(b: Bundle, type: R['resourceType']): R[] =>
  (b.entry ?? []).map((e) => e.resource).filter((r): r is R => r?.resourceType === type);

describe('convertHl7v2ToBundle over real messages', () => {
  it('ADT^A01 (v2.8, FHIR-Converter sample): every PID-3 identifier, names, allergy, diagnosis, encounter', () => {
    const b = convertHl7v2ToBundle(fixture('fhir-converter/ADT-A01-01.hl7'));
    expect(b.type).toBe('collection');
    const [patient] = all<Patient>(b, 'Patient');
    expect(patient?.id).toBe('PATID1234');
    expect(patient?.identifier?.map((i) => i.value)).toEqual(expect.arrayContaining(['PATID1234', '123456789', '1234567', 'PATID567']));
    expect(patient?.identifier?.find((i) => i.value === 'PATID1234')?.system).toBe('urn:oid:2.16.1');
    expect(patient?.name).toHaveLength(2);
    expect(patient?.name?.[0]).toMatchObject({ family: 'EVERYMAN', given: ['ADAM', 'A'] });
    expect(patient?.gender).toBe('male');
    expect(patient?.birthDate).toBe('1988-08-18');
    const allergy = all<AllergyIntolerance>(b, 'AllergyIntolerance')[0];
    expect(allergy?.code?.coding?.[0]?.code).toBe('P');
    expect(allergy?.category).toEqual(['environment']);
    expect(allergy?.patient.reference).toBe('Patient/PATID1234');
    const condition = all<Condition>(b, 'Condition')[0];
    expect(condition?.code?.coding?.[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '422504002' });
    expect(all(b, 'Encounter')).toHaveLength(1);
  });

  it('ADT^A01 (v2.3 with BOM and LF line ends): ICD-9 diagnosis, inpatient encounter', () => {
    const b = convertHl7v2ToBundle(fixture('fhir-converter/ADT01-23.hl7'));
    expect(all<Patient>(b, 'Patient')[0]?.name?.[0]?.family).toBe('DUCK');
    expect(all<Condition>(b, 'Condition')[0]?.code?.coding?.[0]).toMatchObject({
      system: 'http://hl7.org/fhir/sid/icd-9-cm',
      code: '71596',
    });
    expect(all(b, 'Encounter')[0]).toMatchObject({ class: { code: 'IMP' } });
  });

  it('ADT^A40 merge: MRG becomes a Patient replaced-by the surviving one', () => {
    const b = convertHl7v2ToBundle(fixture('fhir-converter/ADT-A40-01.hl7'));
    const [surviving, prior] = all<Patient>(b, 'Patient');
    expect(surviving?.id).toBe('12345');
    expect(prior?.active).toBe(false);
    expect(prior?.identifier?.[0]?.value).toBe('56789');
    expect(prior?.link).toEqual([{ other: { reference: 'Patient/12345' }, type: 'replaced-by' }]);
    expect(surviving?.link).toEqual([{ other: { reference: `Patient/${prior?.id}` }, type: 'replaces' }]);
  });

  it('ORU^R01 (NIST LRI CBC): LOINC codes, UCUM units, reference ranges, flags, report grouping', () => {
    const b = convertHl7v2ToBundle(fixture('fhir-converter/LRI_2.0-NG_CBC_Typ_Message.hl7'));
    const reports = all<DiagnosticReport>(b, 'DiagnosticReport');
    const observations = all<Observation>(b, 'Observation');
    expect(reports[0]?.code.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '57021-8' });
    expect(reports[0]?.result?.length).toBeGreaterThan(5);
    const hb = observations.find((o) => o.code.coding?.[0]?.code === '718-7');
    expect(hb?.valueQuantity).toEqual({ value: 12.5, unit: 'grams per milliliter', system: 'http://unitsofmeasure.org', code: 'g/mL' });
    expect(hb?.referenceRange?.[0]).toMatchObject({ low: { value: 13 }, high: { value: 18 }, text: '13 to 18' });
    expect(hb?.interpretation?.[0]?.coding?.[0]).toMatchObject({ code: 'L', display: 'Low' });
    expect(hb?.status).toBe('final');
    const wbc = observations.find((o) => o.code.coding?.[0]?.code === '26464-8');
    expect(wbc?.interpretation?.[0]?.coding?.[0]?.code).toBe('HH');
  });

  it('ORU^R01 (HL7 v2.4 standard example): SN value with its range and flag', () => {
    const b = convertHl7v2ToBundle(fixture('python-hl7/hl7-standard-oru-r01.hl7'));
    const glucose = all<Observation>(b, 'Observation')[0];
    expect(glucose?.valueQuantity).toMatchObject({ value: 182, unit: 'mg/dl', system: 'http://unitsofmeasure.org' });
    expect(glucose?.referenceRange?.[0]).toMatchObject({ low: { value: 70 }, high: { value: 105 } });
    // PID-7 "196203520" is not a date: dropped, not guessed.
    expect(all<Patient>(b, 'Patient')[0]?.birthDate).toBeUndefined();
  });

  it('ORU^R01 with empty NM values and preliminary status (FHIR-Converter LAB-ORU-1)', () => {
    const b = convertHl7v2ToBundle(fixture('fhir-converter/LAB-ORU-1.hl7'));
    const obs = all<Observation>(b, 'Observation');
    expect(all(b, 'DiagnosticReport')).toHaveLength(2);
    expect(obs.find((o) => o.code.coding?.[0]?.code === '11156-7')).toMatchObject({ status: 'registered' });
    expect(obs.find((o) => o.code.coding?.[0]?.code === '11156-7')?.valueQuantity).toBeUndefined();
    expect(obs.find((o) => o.code.coding?.[0]?.code === '11273-0')?.valueQuantity).toMatchObject({ value: 4.06, unit: 'tera.l-1' });
    expect(obs.find((o) => o.code.coding?.[0]?.code === '11273-0')?.valueQuantity?.system).toBeUndefined();
  });

  it('RDE^O11: ORC/RXE → MedicationRequest', () => {
    const b = convertHl7v2ToBundle(fixture('fhir-converter/RDE-O11-01.hl7'));
    const rx = all<MedicationRequest>(b, 'MedicationRequest');
    expect(rx.length).toBeGreaterThan(0);
    expect(rx[0]?.intent).toBe('order');
    expect(rx[0]?.medicationCodeableConcept?.coding?.length ?? rx[0]?.medicationCodeableConcept?.text).toBeTruthy();
    expect(rx[0]?.subject.reference).toMatch(/^Patient\//);
  });

  it('ADT^A08 with a Z-segment (nHapi test message): converts, Z-segment ignored', () => {
    const b = convertHl7v2ToBundle(fixture('nhapi/adt-a08-zin.hl7'));
    expect(all<Patient>(b, 'Patient')[0]?.name?.[0]).toMatchObject({ family: 'BARDOUN', given: ['LEA SACHA'] });
  });

  it('a batch file (FHS/BHS … BTS/FTS) converts each message', () => {
    const b = convertHl7v2ToBundle(fixture('python-hl7/vinah-batch-adt-a04.hl7'));
    expect(all<Patient>(b, 'Patient')[0]?.identifier?.[0]?.value).toBe('0000112234');
  });

  it('gives deterministic ids and a Provenance per message naming each source segment', () => {
    const bytes = fixture('fhir-converter/LAB-ORU-1.hl7');
    const a = convertHl7v2ToBundle(bytes);
    const b = convertHl7v2ToBundle(bytes);
    expect(a.entry?.map((e) => e.resource?.id)).toEqual(b.entry?.map((e) => e.resource?.id));
    const provenance = all<Provenance>(a, 'Provenance')[0];
    expect(provenance?.entity?.[0]?.what?.identifier?.value).toBe('182');
    expect(provenance?.target.map((t) => t.extension?.[0]?.valueString)).toContain('182/OBX/3');
    expect(provenance?.activity?.text).toBe('ORU^R01');
  });
});

describe('character sets', () => {
  const message = (charset: string): string =>
    `MSH|^~\\&|HIS|H|HZ|H|20250630100000||ADT^A01|C1|P|2.5||||||${charset}\rPID|1||H1^^^HIS^MR||张^伟^^^^^L^I||19680312|1|||东华门大街1号^^北京市^^^CHN^H^^东城区\r`;

  it.each(['GB 18030-2000', 'GBK', 'GB2312'])('decodes %s (as GB18030)', (label) => {
    const bytes = new Uint8Array(iconv.encode(message(label), 'gb18030'));
    const patient = convertHl7v2ToBundle(bytes).entry?.[0]?.resource as Patient;
    expect(patient.name?.[0]?.text).toBe('张伟');
    expect(patient.gender).toBe('male');
    expect(patient.address?.[0]?.text).toBe('北京市东城区东华门大街1号');
  });

  it('reads unlabelled GBK bytes that are not UTF-8 as GB18030', () => {
    const bytes = new Uint8Array(iconv.encode(message(''), 'gbk'));
    expect((convertHl7v2ToBundle(bytes).entry?.[0]?.resource as Patient).name?.[0]?.text).toBe('张伟');
  });

  it('reads GBK bytes under a copied "UNICODE UTF-8" MSH-18 as GB18030 instead of replacement characters', () => {
    const bytes = new Uint8Array(iconv.encode(message('UNICODE UTF-8'), 'gbk'));
    const patient = convertHl7v2ToBundle(bytes).entry?.[0]?.resource as Patient;
    expect(patient.name?.[0]?.text).toBe('张伟');
    expect(patient.address?.[0]?.text).toBe('北京市东城区东华门大街1号');
  });

  it('keeps UTF-8 with one corrupt byte as UTF-8 (one U+FFFD), never re-read as GB18030 mojibake', () => {
    const bytes = new TextEncoder().encode(message('UNICODE UTF-8'));
    // Break the last byte of 伟 (E4 BC 9F): the rest of the message must still read right.
    const at = Buffer.from(bytes).indexOf(Buffer.from('伟')) + 2;
    bytes[at] = 0xc0;
    const patient = convertHl7v2ToBundle(bytes).entry?.[0]?.resource as Patient;
    expect(patient.name?.[0]?.family).toBe('张');
    expect(patient.address?.[0]?.text).toBe('北京市东城区东华门大街1号');
  });

  it('decodes UNICODE UTF-8', () => {
    const bytes = new TextEncoder().encode(message('UNICODE UTF-8'));
    expect((convertHl7v2ToBundle(bytes).entry?.[0]?.resource as Patient).name?.[0]?.family).toBe('张');
  });

  it('reports garbage as Hl7ParseError', () => {
    expect(() => convertHl7v2ToBundle(new TextEncoder().encode('hello world'))).toThrow(Hl7ParseError);
  });
});

describe('PR1 procedures', () => {
  it("ADT^A03 with PR1 (HAPI's test message): a completed Procedure with code, date and description", () => {
    const [procedure] = all<Procedure>(convertHl7v2ToBundle(fixture('hapi/adt-a03-pr1.hl7')), 'Procedure');
    expect(procedure?.code?.coding?.[0]).toMatchObject({ code: '1111', display: 'Mastoplastica' });
    expect(procedure).toMatchObject({ status: 'completed', performedDateTime: '2009-02-24', note: [{ text: 'Protesi' }] });
    expect(procedure?.subject.reference).toMatch(/^Patient\//);
  });
});
