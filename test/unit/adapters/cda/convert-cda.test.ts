import { readFileSync } from 'node:fs';
import type { AllergyIntolerance, Condition, Immunization, MedicationStatement, Observation, Procedure } from '@medplum/fhirtypes';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CdaError, convertCdaDocument, convertCdaToBundle } from '../../../../src/adapters/cda/index.ts';
import { documentsFor } from '../../../../src/demo-hospital/platform-soap/cda-documents.ts';
import { buildPlatformPatients } from '../../../../src/demo-hospital/platform-soap/platform-patients.ts';
import { generateSyntheticHospital } from '../../../../src/demo-hospital/synthetic/synthetic-hospital.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/cda/${name}`, import.meta.url));
const NOW = '2025-01-01T00:00:00Z';

function byType<T>(resources: { resource: { resourceType: string } }[], type: string): T[] {
  return resources.filter((r) => r.resource.resourceType === type).map((r) => r.resource as T);
}

function minimal(body = '', header = ''): string {
  return `<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><id root="1.2.3" extension="d1"/><code code="C0007" codeSystem="2.16.156.10011.2.4" displayName="检验报告"/>${header}<effectiveTime value="20240101083000"/>
    <recordTarget><patientRole><id root="2.16.156.10011.0.99.1" extension="E1"/><patient><id root="2.16.156.10011.1.3" extension="110101196803120132"/><name>张伟</name><administrativeGenderCode code="1" codeSystem="2.16.156.10011.2.3.3.4"/><birthTime value="19680312"/></patient></patientRole></recordTarget>
    <component><structuredBody>${body}</structuredBody></component></ClinicalDocument>`;
}

describe('CDA → FHIR: real C-CDA documents (HL7 C-CDA-Examples)', () => {
  it('converts the CCD: header, patient, sections, vitals and results', () => {
    const c = convertCdaDocument(fixture('ccda-ccd.xml'), { now: NOW });
    expect(c.header.flavour).toBe('ccda');
    expect(c.header.code.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '34133-9' });
    expect(c.patient).toMatchObject({ gender: 'female', birthDate: '1950-12-19', name: [{ family: 'Jones', given: ['Isabella'] }] });
    expect(c.composition.section?.map((s) => s.title)).toContain('RESULTS');
    const observations = byType<Observation>(c.clinical, 'Observation');
    const vital = observations.find((o) => o.category?.[0]?.coding?.[0]?.code === 'vital-signs' && o.valueQuantity);
    expect(vital?.valueQuantity?.value).toEqual(expect.any(Number));
    // The CCD says "no known allergies" (negationInd): a statement, not an absence (无已知过敏 ≠ 未记录过敏).
    expect(byType<AllergyIntolerance>(c.clinical, 'AllergyIntolerance')).toEqual([
      expect.objectContaining({
        code: expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://snomed.info/sct', code: '716186003' })] }),
        verificationStatus: expect.objectContaining({ coding: [expect.objectContaining({ code: 'confirmed' })] }),
      }),
    ]);
    expect(c.warnings).toEqual([]);
  });

  it('converts the discharge summary: diagnoses, allergies with reactions, discharge medications', () => {
    const c = convertCdaDocument(fixture('ccda-discharge-summary.xml'), { now: NOW });
    const conditions = byType<Condition>(c.clinical, 'Condition');
    expect(conditions.map((x) => x.code?.text)).toContain('Appendicitis');
    const allergies = byType<AllergyIntolerance>(c.clinical, 'AllergyIntolerance');
    expect(allergies[0]).toMatchObject({
      category: ['medication'],
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm' }] },
    });
    expect(allergies[0]?.reaction?.[0]?.manifestation.length).toBeGreaterThan(0);
    expect(byType<MedicationStatement>(c.clinical, 'MedicationStatement').length).toBeGreaterThan(0);
  });

  it('reads the discharge summary’s drug frequency, vaccines, procedure, and leaves family history in the document', () => {
    const c = convertCdaDocument(fixture('ccda-discharge-summary.xml'), { now: NOW });
    const ibuprofen = byType<MedicationStatement>(c.clinical, 'MedicationStatement').find((m) =>
      m.medicationCodeableConcept?.text?.includes('Ibuprofen'),
    );
    expect(ibuprofen?.dosage?.[0]?.timing?.repeat).toMatchObject({ frequency: 1, period: 6, periodUnit: 'h' });
    // Vaccines are Immunizations, not drugs the patient takes.
    const vaccines = byType<Immunization>(c.clinical, 'Immunization');
    expect(vaccines.map((v) => v.vaccineCode.text ?? v.vaccineCode.coding?.[0]?.display)).toContain('Influenza virus vaccine');
    expect(byType<MedicationStatement>(c.clinical, 'MedicationStatement').map((m) => m.medicationCodeableConcept?.text)).not.toContain(
      'Influenza virus vaccine',
    );
    expect(byType<Procedure>(c.clinical, 'Procedure').map((p) => p.code?.coding?.[0]?.code)).toContain('6025007');
    // The father's myocardial infarction (family history) is not the patient's.
    expect(JSON.stringify(c.clinical.map((x) => x.resource))).not.toContain('22298006');
  });

  it('keeps the original XML and the sanitized HTML in the DocumentReference, and builds a document Bundle with Provenance', () => {
    const bytes = fixture('ccda-discharge-summary.xml');
    const bundle = convertCdaToBundle(bytes, { now: NOW });
    expect(bundle.type).toBe('document');
    expect(bundle.entry?.[0]?.resource?.resourceType).toBe('Composition');
    const docRef = bundle.entry?.find((e) => e.resource?.resourceType === 'DocumentReference')?.resource;
    if (docRef?.resourceType !== 'DocumentReference') throw new Error('no DocumentReference');
    expect(docRef.content[0]?.attachment.contentType).toBe('application/hl7-v3+xml');
    expect(Buffer.from(docRef.content[0]?.attachment.data ?? '', 'base64').equals(bytes)).toBe(true);
    expect(docRef.content[1]?.attachment.contentType).toMatch(/^text\/html/);
    const provenance = bundle.entry?.find((e) => e.resource?.resourceType === 'Provenance')?.resource;
    if (provenance?.resourceType !== 'Provenance') throw new Error('no Provenance');
    expect(provenance.target.length).toBe((bundle.entry?.length ?? 0) - 1);
    expect(provenance.entity?.[0]?.what?.reference).toBe(`DocumentReference/${docRef.id}`);
  });

  it('gives the same ids on every conversion', () => {
    const a = convertCdaToBundle(fixture('ccda-ccd.xml'), { now: NOW });
    const b = convertCdaToBundle(fixture('ccda-ccd.xml'), { now: NOW });
    expect(a).toEqual(b);
  });
});

describe('CDA → FHIR: WS/T 500-style Chinese documents (the demo platform’s)', () => {
  const platform = buildPlatformPatients(generateSyntheticHospital());
  const zhang = platform[0]!;
  const docs = documentsFor(zhang);

  it('reads 出院小结, 入院记录, 检查报告 and 检验报告 with 汉字 names, GB/T 2261.1 sex and ICD-10 diagnoses', () => {
    expect(docs.map((d) => d.title).sort()).toEqual(['入院记录', '出院小结', '检查报告 胸部CT平扫', '检验报告']);
    for (const d of docs) {
      const c = convertCdaDocument(d.xml);
      expect(c.header.flavour).toBe('wst500');
      expect(c.patient).toMatchObject({ name: [{ text: '张伟' }], gender: 'male', birthDate: '1968-03-12' });
      expect(c.patient?.identifier?.find((i) => i.type?.coding?.[0]?.code === 'NNCHN')?.value).toBe('110101196803120132');
      expect(c.warnings).toEqual([]);
    }
    const discharge = convertCdaDocument(docs.find((d) => d.title === '出院小结')!.xml);
    const dx = byType<Condition>(discharge.clinical, 'Condition');
    expect(dx.map((x) => x.code?.coding?.[0]?.code)).toEqual(expect.arrayContaining(['J18.9', 'E11.9', 'I10']));
    expect(dx[0]?.code?.coding?.[0]?.system).toBe('http://hl7.org/fhir/sid/icd-10');
    // WS/T 500 style: the name with the ICD-10 code nested; the labels give 出院诊断 and 主要诊断/其他诊断.
    expect(dx[0]?.code?.text).toBe(dx[0]?.code?.coding?.[0]?.display);
    expect(dx[0]?.category?.slice(1).map((c) => c.coding?.[0]?.code)).toEqual(['discharge', 'principal']);
    expect(dx[1]?.category?.slice(1).map((c) => c.coding?.[0]?.code)).toEqual(['discharge', 'other']);
    expect(
      byType<MedicationStatement>(discharge.clinical, 'MedicationStatement').map((m) => m.medicationCodeableConcept?.coding?.[0]?.system),
    ).toContain('http://www.whocc.no/atc');
    expect(discharge.documentReference.context?.period?.end).toMatch(/\+08:00$/);
  });

  it('reads a 出院小结 saved as GBK with no encoding declared, and labels the kept original GB18030 for viewers', () => {
    const xml = docs.find((d) => d.title === '出院小结')!.xml.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
    const c = convertCdaDocument(new Uint8Array(iconv.encode(xml, 'gbk')));
    expect(c.patient).toMatchObject({ name: [{ text: '张伟' }] });
    expect(byType<Condition>(c.clinical, 'Condition').map((x) => x.code?.coding?.[0]?.code)).toEqual(expect.arrayContaining(['J18.9']));
    expect(c.documentReference.content[0]?.attachment.contentType).toBe('application/hl7-v3+xml; charset=GB18030');
    expect(convertCdaDocument(xml).documentReference.content[0]?.attachment.contentType).toBe('application/hl7-v3+xml');
  });

  it('turns the 检验报告 into LOINC laboratory Observations with units, flags and ranges', () => {
    // The 检验报告 carries the latest panel, whichever it is: each result coded, with its range and flag.
    const lab = convertCdaDocument(docs.find((d) => d.title === '检验报告')!.xml);
    const obs = byType<Observation>(lab.clinical, 'Observation');
    expect(obs.length).toBeGreaterThan(0);
    for (const o of obs) {
      expect(o.code?.coding?.[0]?.system).toBe('http://loinc.org');
      expect(o).toMatchObject({ category: [{ coding: [{ code: 'laboratory' }] }], valueQuantity: { system: 'http://unitsofmeasure.org' } });
      expect(o.valueQuantity?.unit).toBeTruthy();
      expect(o.interpretation?.[0]?.coding?.[0]?.code).toMatch(/^(HH|LL|H|L|N)$/);
    }
    expect(obs.some((o) => o.referenceRange?.[0]?.low?.value !== undefined)).toBe(true);
  });

  it('reads the English patient’s C-CDA-style CCD', () => {
    const english = platform.find((p) => !p.chinese)!;
    const ccd = documentsFor(english)[0]!;
    const c = convertCdaDocument(ccd.xml);
    expect(c.header.flavour).toBe('ccda');
    expect(c.patient?.name?.[0]?.text).toBe(english.patient.name?.[0]?.text);
    expect(byType<Condition>(c.clinical, 'Condition').length).toBeGreaterThan(0);
    expect(byType<Observation>(c.clinical, 'Observation').length).toBeGreaterThan(0);
  });

  it('reads WS/T 500 REAL results whose unit comes as a nested data element', () => {
    const body = `<component><section><code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/><text/><entry><observation classCode="OBS" moodCode="EVN">
      <code code="DE04.30.015.00" codeSystem="2.16.156.10011.2.2.1" displayName="检验定量结果"/><value xsi:type="REAL" value="6.1"/>
      <entryRelationship typeCode="COMP"><observation><code code="DE04.30.016.00" codeSystem="2.16.156.10011.2.2.1"/><value xsi:type="ST">mmol/L</value></observation></entryRelationship></observation></entry>
      <entry><observation><code code="DE04.50.130.00" codeSystem="2.16.156.10011.2.2.1" displayName="检验报告结果"/><value xsi:type="ST">血糖偏高</value></observation></entry></section></component>`;
    const c = convertCdaDocument(minimal(body));
    const obs = byType<Observation>(c.clinical, 'Observation');
    expect(obs).toHaveLength(1);
    expect(obs[0]?.valueQuantity).toMatchObject({ value: 6.1, unit: 'mmol/L' });
    // An empty <text/> is filled from the entries so the section still reads.
    expect(c.composition.section?.[0]?.text?.div).toContain('检验报告结果');
  });
});

describe('CDA errors', () => {
  const errorOf = (xml: string): CdaError => {
    try {
      convertCdaDocument(xml);
    } catch (error) {
      if (error instanceof CdaError) return error;
      throw error;
    }
    throw new Error('expected a CdaError');
  };

  it('names the wrong root', () => {
    expect(errorOf('<Foo/>')).toMatchObject({ kind: 'structure', path: '/Foo' });
  });

  it('names a missing recordTarget', () => {
    const e = errorOf(
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2"/><code code="x"/><effectiveTime value="2024"/></ClinicalDocument>',
    );
    expect(e).toMatchObject({ kind: 'structure', path: '/ClinicalDocument' });
    expect(e.message).toContain('recordTarget');
  });

  it('names a bad document effectiveTime by its XPath', () => {
    const e = errorOf(minimal().replace('20240101083000', '2024-01-01'));
    expect(e).toMatchObject({ kind: 'value', path: '/ClinicalDocument/effectiveTime/@value' });
  });

  it('tolerates a bad optional value, recording a warning with the path', () => {
    const body =
      '<component><section><code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/><entry><observation><code code="2345-7" codeSystem="2.16.840.1.113883.6.1"/><effectiveTime value="yesterday"/><value xsi:type="PQ" value="abc" unit="mg/dL"/></observation></entry></section></component>';
    const c = convertCdaDocument(minimal(body));
    expect(c.clinical).toHaveLength(0);
    expect(c.warnings.join('\n')).toContain('/ClinicalDocument/component/structuredBody/component/section/entry/observation/value/@value');
  });

  it('rejects a body that is neither structured nor nonXML, and bad base64 in nonXMLBody', () => {
    expect(
      errorOf(minimal().replace('<component><structuredBody></structuredBody></component>', '<component><weird/></component>')).kind,
    ).toBe('structure');
    expect(
      errorOf(
        minimal().replace(
          '<component><structuredBody></structuredBody></component>',
          '<component><nonXMLBody><text mediaType="application/pdf" representation="B64">!!!</text></nonXMLBody></component>',
        ),
      ).kind,
    ).toBe('value');
  });

  it('keeps a nonXMLBody (e.g. a PDF) as an extra attachment', () => {
    const c = convertCdaDocument(
      minimal().replace(
        '<component><structuredBody></structuredBody></component>',
        '<component><nonXMLBody><text mediaType="application/pdf" representation="B64">JVBERi0=</text></nonXMLBody></component>',
      ),
    );
    expect(c.documentReference.content.map((x) => x.attachment.contentType)).toContain('application/pdf');
  });
});

describe('CDA → FHIR: names given only in the narrative (originalText/reference, nullFlavor codes)', () => {
  const problems = (value: string, text = '') =>
    minimal(`<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/><code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/><title>Problems</title>
      <text><list><item><content ID="p1">高血压病3级（极高危）</content></item><item><content ID="r1">Hemolyzed specimen, see comment</content></item></list></text>
      <entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>${text}<effectiveTime><low value="20200101"/></effectiveTime>${value}</observation></entryRelationship></act></entry></section></component>`);

  it.each([
    [
      'a nullFlavor value with originalText/reference',
      '<value xsi:type="CD" nullFlavor="OTH"><originalText><reference value="#p1"/></originalText></value>',
      '',
    ],
    [
      'an all-nullFlavor value, named by the entry’s own <text>',
      '<value xsi:type="CD" nullFlavor="UNK"/>',
      '<text><reference value="#p1"/></text>',
    ],
  ])('a problem with %s becomes a Condition named by that text', (_shape, value, text) => {
    const c = convertCdaDocument(problems(value, text));
    expect(byType<Condition>(c.clinical, 'Condition').map((x) => x.code?.text)).toEqual(['高血压病3级（极高危）']);
    expect(c.warnings).toEqual([]);
  });

  it('a coded problem keeps its code, and a reference that points nowhere adds nothing', () => {
    const coded = convertCdaDocument(
      problems(
        '<value xsi:type="CD" code="38341003" codeSystem="2.16.840.1.113883.6.96"><originalText><reference value="#p1"/></originalText></value>',
      ),
    );
    expect(byType<Condition>(coded.clinical, 'Condition')[0]?.code).toEqual({
      coding: [{ system: 'http://snomed.info/sct', code: '38341003' }],
      text: '高血压病3级（极高危）',
    });
    const dangling = convertCdaDocument(
      problems('<value xsi:type="CD" nullFlavor="OTH"><originalText><reference value="#nowhere"/></originalText></value>'),
    );
    expect(byType<Condition>(dangling.clinical, 'Condition')).toEqual([]);
    expect(dangling.warnings.join()).toMatch(/left in the narrative/);
  });

  it('a result whose name and ED value are narrative references keeps both', () => {
    const c = convertCdaDocument(
      minimal(`<component><section><code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/><title>Results</title>
        <text><content ID="n1">Urine protein</content><content ID="v1">Negative, trace blood</content></text>
        <entry><observation classCode="OBS" moodCode="EVN"><code nullFlavor="UNK"><originalText><reference value="#n1"/></originalText></code>
          <effectiveTime value="20240101"/><value xsi:type="ED"><reference value="#v1"/></value></observation></entry></section></component>`),
    );
    expect(byType<Observation>(c.clinical, 'Observation').map((o) => [o.code.text, o.valueString])).toEqual([
      ['Urine protein', 'Negative, trace blood'],
    ]);
  });
});

describe('CDA → FHIR: sections named only by their title', () => {
  const section = (head: string) =>
    minimal(`<component><section>${head}<text>见条目</text>
      <entry><observation classCode="OBS" moodCode="EVN"><code code="282291009" codeSystem="2.16.840.1.113883.6.96"/><effectiveTime value="20240101"/>
        <value xsi:type="CD" code="38341003" codeSystem="2.16.840.1.113883.6.96" displayName="Hypertensive disorder"/></observation></entry></section></component>`);

  it.each([
    ['a title only', '<title>Problem List</title>'],
    ['a Chinese title only', '<title>出院诊断</title>'],
    ['a local section code and a title', '<code code="S01" codeSystem="1.2.3.4" displayName="本地章节"/><title>诊断</title>'],
  ])('a coded finding in a problem/diagnosis section with %s is a Condition', (_shape, head) => {
    const c = convertCdaDocument(section(head));
    expect(byType<Condition>(c.clinical, 'Condition').map((x) => x.code?.coding?.[0]?.code)).toEqual(['38341003']);
  });

  it('a section with another title keeps reading it as a result', () => {
    const c = convertCdaDocument(section('<title>体格检查</title>'));
    expect(byType<Condition>(c.clinical, 'Condition')).toEqual([]);
    expect(byType<Observation>(c.clinical, 'Observation').map((o) => o.valueCodeableConcept?.coding?.[0]?.code)).toEqual(['38341003']);
  });
});

describe('CDA → FHIR: the role a C-CDA diagnosis section gives its problems', () => {
  const problemIn = (head: string) =>
    minimal(`<component><section>${head}<text>Appendicitis</text>
      <entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.80"/><code code="29308-4" codeSystem="2.16.840.1.113883.6.1"/>
        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <code code="29308-4" codeSystem="2.16.840.1.113883.6.1"/><effectiveTime><low value="20240101"/></effectiveTime>
          <value xsi:type="CD" code="74400008" codeSystem="2.16.840.1.113883.6.96" displayName="Appendicitis"/></observation></entryRelationship></act></entry>
      </section></component>`);
  const roleCodes = (xml: string): string[] =>
    byType<Condition>(convertCdaDocument(xml).clinical, 'Condition').flatMap((c) =>
      (c.category ?? []).flatMap((cat) => (cat.coding ?? []).map((x) => x.code ?? '')),
    );

  it.each([
    [
      'admission',
      'the Admission Diagnosis template with a LOINC code',
      '<templateId root="2.16.840.1.113883.10.20.22.2.43"/><code code="46241-6" codeSystem="2.16.840.1.113883.6.1"/>',
      'AD',
    ],
    ['admission', 'the LOINC code 42347-5 only', '<code code="42347-5" codeSystem="2.16.840.1.113883.6.1"/>', 'AD'],
    [
      'discharge',
      'the Discharge Diagnosis template under a code that is no LOINC (C-CDAV2-DDN)',
      '<templateId root="2.16.840.1.113883.10.20.22.2.24"/><code code="C-CDAV2-DDN" codeSystem="2.16.840.1.113883.6.1"/><title>DISCHARGE DIAGNOSIS</title>',
      'DD',
    ],
    ['discharge', 'only an English title', '<title>Hospital Discharge Diagnosis</title>', 'DD'],
    [
      'preoperative',
      'the Preoperative Diagnosis template',
      '<templateId root="2.16.840.1.113883.10.20.22.2.34"/><code code="10219-4" codeSystem="2.16.840.1.113883.6.1"/>',
      'pre-op',
    ],
    ['postoperative', 'the Postprocedure Diagnosis code 59769-0', '<code code="59769-0" codeSystem="2.16.840.1.113883.6.1"/>', 'post-op'],
    [
      'postoperative',
      'a local code and the title "Post-operative Diagnosis"',
      '<code code="X1" codeSystem="1.2.3"/><title>Post-operative Diagnosis</title>',
      'post-op',
    ],
  ])('a problem is a(n) %s diagnosis in a section with %s', (role, _shape, head, fhirCode) => {
    const codes = roleCodes(problemIn(head));
    expect(codes).toContain(role);
    expect(codes).toContain(fhirCode);
  });

  it('a problem list gives no diagnosis role', () => {
    const codes = roleCodes(
      problemIn(
        '<templateId root="2.16.840.1.113883.10.20.22.2.5.1"/><code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/><title>PROBLEMS</title>',
      ),
    );
    expect(codes).toEqual(['problem-list-item']);
  });
});

describe('CDA → FHIR: a procedure observation’s finding (ECG, EEG, imaging: template 2.16.840.1.113883.10.20.22.4.13)', () => {
  const procedureObservation = (value: string, mood = 'EVN') =>
    minimal(`<component><section><templateId root="2.16.840.1.113883.10.20.22.2.7.1"/><code code="47519-4" codeSystem="2.16.840.1.113883.6.1"/><title>PROCEDURES</title><text>ECG</text>
      <entry><observation classCode="OBS" moodCode="${mood}"><templateId root="2.16.840.1.113883.10.20.22.4.13"/>
        <code code="268400002" codeSystem="2.16.840.1.113883.6.96" displayName="12 lead electrocardiogram"/><statusCode code="completed"/><effectiveTime value="20240101"/>
        ${value}</observation></entry></section></component>`);

  it.each([
    [
      'a coded finding',
      '<value xsi:type="CD" code="251135002" codeSystem="2.16.840.1.113883.6.96" displayName="Borderline normal electrocardiogram"/>',
      'Borderline normal electrocardiogram',
    ],
    ['a text finding', '<value xsi:type="ST">Sinus rhythm, no acute changes</value>', 'Sinus rhythm, no acute changes'],
    ['a measured finding', '<value xsi:type="PQ" value="72" unit="/min"/>', '72'],
  ])('%s is kept as an Observation of the procedure, beside the Procedure', (_shape, value, shown) => {
    const c = convertCdaDocument(procedureObservation(value));
    const [procedure] = byType<Procedure>(c.clinical, 'Procedure');
    const [finding, ...more] = byType<Observation>(c.clinical, 'Observation');
    expect(procedure?.code?.coding?.[0]?.code).toBe('268400002');
    expect(more).toEqual([]);
    expect(finding?.code.coding?.[0]?.code).toBe('268400002');
    expect(JSON.stringify([finding?.valueCodeableConcept, finding?.valueString, finding?.valueQuantity])).toContain(shown);
    expect(finding?.partOf).toEqual([{ reference: `Procedure/${procedure?.id ?? ''}` }]);
    expect(finding?.id).not.toBe(procedure?.id);
  });

  it('a procedure observation without a value is the Procedure alone; a planned one is neither', () => {
    const bare = convertCdaDocument(procedureObservation(''));
    expect(byType<Procedure>(bare.clinical, 'Procedure')).toHaveLength(1);
    expect(byType<Observation>(bare.clinical, 'Observation')).toEqual([]);
    const planned = convertCdaDocument(procedureObservation('<value xsi:type="ST">to be done</value>', 'INT'));
    expect(byType<Procedure>(planned.clinical, 'Procedure')).toEqual([]);
  });
});

describe('CDA → FHIR: why a drug is given (C-CDA indication, entryRelationship typeCode="RSON")', () => {
  const medicationWith = (reason: string) =>
    minimal(`<component><section><templateId root="2.16.840.1.113883.10.20.22.2.1.1"/><code code="10160-0" codeSystem="2.16.840.1.113883.6.1"/><title>MEDICATIONS</title>
      <text><content ID="ind1">Migraine</content></text>
      <entry><substanceAdministration classCode="SBADM" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.16"/><statusCode code="active"/>
        <consumable><manufacturedProduct><manufacturedMaterial><code code="313782" codeSystem="2.16.840.1.113883.6.88" displayName="sumatriptan 50 MG Oral Tablet"/></manufacturedMaterial></manufacturedProduct></consumable>
        ${reason}</substanceAdministration></entry></section></component>`);
  const indication = (value: string, negated = false) =>
    `<entryRelationship typeCode="RSON"><observation classCode="OBS" moodCode="EVN"${negated ? ' negationInd="true"' : ''}><templateId root="2.16.840.1.113883.10.20.22.4.19"/>
      <code code="404684003" codeSystem="2.16.840.1.113883.6.96"/>${value}</observation></entryRelationship>`;

  it.each([
    [
      'an Indication observation',
      indication('<value xsi:type="CD" code="37796009" codeSystem="2.16.840.1.113883.6.96" displayName="Migraine"/>'),
    ],
    [
      'a name only in the narrative',
      indication('<value xsi:type="CD" nullFlavor="OTH"><originalText><reference value="#ind1"/></originalText></value>'),
    ],
    [
      'a problem concern act around a problem observation (vendor exports)',
      `<entryRelationship typeCode="RSON"><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/><code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
          <value xsi:type="CD" code="37796009" codeSystem="2.16.840.1.113883.6.96" displayName="Migraine"/></observation></entryRelationship></act></entryRelationship>`,
    ],
  ])('%s becomes the medication’s reason, not a second problem', (_shape, reason) => {
    const c = convertCdaDocument(medicationWith(reason));
    const [med] = byType<MedicationStatement>(c.clinical, 'MedicationStatement');
    expect(med?.reasonCode?.map((r) => r.text ?? r.coding?.[0]?.display)).toEqual(['Migraine']);
    expect(byType<Condition>(c.clinical, 'Condition')).toEqual([]);
  });

  it('a negated indication, or none, gives no reason', () => {
    const negated = convertCdaDocument(
      medicationWith(indication('<value xsi:type="CD" code="37796009" codeSystem="2.16.840.1.113883.6.96" displayName="Migraine"/>', true)),
    );
    expect(byType<MedicationStatement>(negated.clinical, 'MedicationStatement')[0]?.reasonCode).toBeUndefined();
    const none = convertCdaDocument(medicationWith(''));
    expect(byType<MedicationStatement>(none.clinical, 'MedicationStatement')[0]?.reasonCode).toBeUndefined();
  });
});
