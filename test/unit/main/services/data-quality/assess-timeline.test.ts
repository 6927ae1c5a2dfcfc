/**
 * One test per finding kind on generated bad data, a clean record that must stay clean, and a
 * public sample written by others (test/fixtures/real-world/hl7v2, origins in its README).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Observation, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { convertHl7Message, readHl7Message } from '../../../../../src/adapters/hl7v2/index.ts';
import { buildCheckedTimeline, qualityReport } from '../../../../../src/main/services/data-quality/index.ts';
import { labCodeUsage, useLabCodeMappings } from '../../../../../src/main/services/timeline/index.ts';
import { QualityFindingSchema, type QualityFinding } from '../../../../../src/shared/domain/quality.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

function sourced(resource: Resource, sourceId = 'lis', nativeId = `${resource.resourceType}/${resource.id ?? 'x'}`): SourcedResource {
  return {
    resource,
    provenance: { sourceId, sourceName: sourceId.toUpperCase(), sourceKind: 'fhir', nativeId, fetchedAt: NOW.toISOString() },
  };
}

function observation(over: Partial<Observation> & { id: string }): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    subject: { reference: 'Patient/1' },
    effectiveDateTime: '2026-05-01T08:00:00Z',
    code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }] },
    valueQuantity: { value: 4.1, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    ...over,
  };
}

/** The findings of one record set, every one checked against the schema the renderer reads. */
function findingsOf(items: SourcedResource[]): { entry: QualityFinding[]; record: QualityFinding[] } {
  const { entries, recordFindings } = buildCheckedTimeline(items, NOW);
  const entry = entries.flatMap((e) => e.quality ?? []);
  for (const f of [...entry, ...recordFindings]) QualityFindingSchema.parse(f);
  return { entry, record: recordFindings };
}

const codes = (findings: QualityFinding[]) => findings.map((f) => f.code);

describe('data-quality findings', () => {
  it('a clean, coded, timed, UCUM result has no finding (and no quality field)', () => {
    const items = [sourced(observation({ id: 'ok' }))];
    const { entries } = buildCheckedTimeline(items, NOW);
    expect(entries[0]!.quality).toBeUndefined();
  });

  it('unmapped-code: a local code with no LOINC/SNOMED/ICD, named by system and code', () => {
    const { entry } = findingsOf([
      sourced(
        observation({ id: 'u', code: { coding: [{ system: 'urn:lis:local', code: 'X9' }] }, valueQuantity: { value: 1, unit: 'mmol/L' } }),
      ),
    ]);
    expect(entry).toContainEqual(
      expect.objectContaining({
        code: 'unmapped-code',
        sourceId: 'lis',
        resourceType: 'Observation',
        params: { system: 'urn:lis:local', code: 'X9' },
      }),
    );
  });

  it('a local code the timeline maps to LOINC (GLU) is not unmapped', () => {
    const { entry } = findingsOf([
      sourced(
        observation({
          id: 'g',
          code: { coding: [{ system: 'urn:lis:local', code: 'GLU' }] },
          valueQuantity: { value: 5.1, unit: 'mmol/L' },
        }),
      ),
    ]);
    expect(codes(entry)).not.toContain('unmapped-code');
  });

  it('unit-not-ucum: a unit that is neither UCUM nor a known spelling', () => {
    const { entry } = findingsOf([sourced(observation({ id: 'n', valueQuantity: { value: 4.1, unit: '毫当量每杯' } }))]);
    expect(entry).toContainEqual(expect.objectContaining({ code: 'unit-not-ucum', params: { unit: '毫当量每杯' } }));
  });

  it('unit-not-convertible: a UCUM unit that does not convert to the analyte’s', () => {
    const { entry } = findingsOf([
      sourced(observation({ id: 'c', valueQuantity: { value: 4.1, unit: 'g', system: 'http://unitsofmeasure.org', code: 'g' } })),
    ]);
    expect(entry).toContainEqual(
      expect.objectContaining({
        code: 'unit-not-convertible',
        params: expect.objectContaining({ unit: 'g', analyte: 'potassium', expected: 'mmol/L' }),
      }),
    );
  });

  it('implausible-value: potassium of 41 mmol/L, named by analyte and bound, not by the value', () => {
    const { entry } = findingsOf([
      sourced(observation({ id: 'p', valueQuantity: { value: 41, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' } })),
    ]);
    const f = entry.find((x) => x.code === 'implausible-value');
    expect(f).toMatchObject({ severity: 'error', params: { analyte: 'potassium', side: 'high', bound: '15', unit: 'mmol/L' } });
    expect(JSON.stringify(f)).not.toContain('41');
  });

  it('implausible-value is judged after conversion: glucose 90 mg/dL (5 mmol/L) is plausible', () => {
    const { entry } = findingsOf([
      sourced(
        observation({
          id: 'gl',
          code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
          valueQuantity: { value: 90, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
        }),
      ),
    ]);
    expect(codes(entry)).toEqual([]);
  });

  it('unmapped-code: a local result or report code the hospital mapped in its configuration is mapped (and counted)', () => {
    const report = (id: string, code: string): Resource => ({
      resourceType: 'DiagnosticReport',
      id,
      status: 'final',
      subject: { reference: 'Patient/1' },
      effectiveDateTime: '2026-05-01T08:00:00Z',
      code: { coding: [{ system: 'urn:lis:local', code }] },
    });
    const items = () => [
      sourced(
        observation({
          id: 'x',
          code: { coding: [{ system: 'urn:lis:local', code: 'XT-TSH' }] },
          valueQuantity: { value: 2, unit: 'm[IU]/L' },
        }),
      ),
      sourced(report('r', 'VS-ADM')),
    ];
    expect(codes(findingsOf(items()).entry).filter((c) => c === 'unmapped-code')).toHaveLength(2);
    try {
      useLabCodeMappings([
        { code: 'XT-TSH', loinc: '3016-3' },
        { code: 'VS-ADM', loinc: '85353-1' },
      ]);
      expect(codes(findingsOf(items()).entry)).not.toContain('unmapped-code');
      expect(
        labCodeUsage()
          .filter((e) => e.origin === 'configured')
          .map((e) => e.uses),
      ).toEqual([1, 1]);
    } finally {
      useLabCodeMappings([]);
    }
  });

  it('numeric-as-text: a number sent as valueString', () => {
    const { entry } = findingsOf([sourced(observation({ id: 't', valueQuantity: undefined, valueString: ' 4.10 ' }))]);
    expect(codes(entry)).toContain('numeric-as-text');
    const words = findingsOf([sourced(observation({ id: 'w', valueQuantity: undefined, valueString: '阴性' }))]);
    expect(codes(words.entry)).not.toContain('numeric-as-text');
  });

  it('numeric-as-text: HL7 v2 OBX typed ST, TX or FT carrying a number (charted, the text kept as sent); words are not numbers', () => {
    const head = 'MSH|^~\\&|LIS|H|HIS|H|20260501100000+0800||ORU^R01|M1|P|2.4\rPID|1||L1^^^LIS^MR\rOBR|1||R1|BIO^生化|||20260501080000';
    const obx = [
      'OBX|1|ST|14749-6^葡萄糖^LN||5.6|mmol/L|||||F',
      'OBX|2|TX|2823-3^钾^LN||<0.5|mmol/L|||||F',
      'OBX|3|FT|2951-2^钠^LN||140|mmol/L|||||F',
      'OBX|4|ST|5778-6^颜色^LN||阴性||||||F',
      'OBX|5|NM|2075-0^氯^LN||101|mmol/L|||||F',
    ];
    const items = convertHl7Message(readHl7Message(Buffer.from(`${head}\r${obx.join('\r')}`))).map((r) => sourced(r.resource));
    const { entries } = buildCheckedTimeline(items, NOW);
    const byCode = (code: string) => entries.find((e) => e.codes.some((c) => c.code === code))!;
    for (const code of ['14749-6', '2823-3', '2951-2']) expect(codes([...(byCode(code).quality ?? [])])).toContain('numeric-as-text');
    expect(byCode('14749-6').lab?.value).toBe(5.6);
    const sent = (byCode('2823-3').resource as Observation).valueQuantity?.extension?.[0]?.valueString;
    expect(sent).toBe('<0.5');
    expect((byCode('2951-2').resource as Observation).valueString).toBe('140');
    for (const code of ['5778-6', '2075-0']) expect(codes([...(byCode(code).quality ?? [])])).not.toContain('numeric-as-text');
  });

  it('invalid-identifier: a 身份证 with a wrong check digit; identifier-mismatch: sex and birth date the number contradicts', () => {
    const resident = (value: string) => ({ type: { text: '身份证' }, value });
    const wrong: Patient = { resourceType: 'Patient', id: 'a', identifier: [resident('11010519491231002X'.slice(0, 17) + '1')] };
    const contradicted: Patient = {
      resourceType: 'Patient',
      id: 'b',
      gender: 'male',
      birthDate: '1950-01-01',
      identifier: [resident('11010519491231002X')],
    };
    const { record } = findingsOf([sourced(wrong, 'his'), sourced(contradicted, 'his')]);
    expect(record).toContainEqual(
      expect.objectContaining({ code: 'invalid-identifier', sourceId: 'his', params: { kind: 'resident-id', problem: 'check-digit' } }),
    );
    expect(
      record
        .filter((f) => f.code === 'identifier-mismatch')
        .map((f) => f.params?.field)
        .sort(),
    ).toEqual(['birth-date', 'sex']);
    expect(JSON.stringify(record)).not.toContain('11010519491231002');
  });

  it('missing-time, missing-code and missing-subject', () => {
    const { entry } = findingsOf([
      sourced(observation({ id: 'nt', effectiveDateTime: undefined })),
      sourced(observation({ id: 'nc', code: { text: '' } })),
      sourced(observation({ id: 'ns', subject: undefined })),
    ]);
    expect(codes(entry).sort()).toEqual(['missing-code', 'missing-subject', 'missing-time']);
  });

  it('future-date: a clinical time more than a day ahead', () => {
    const { entry } = findingsOf([
      sourced(observation({ id: 'f', effectiveDateTime: '2026-06-09T00:00:00Z' })),
      sourced(observation({ id: 'soon', effectiveDateTime: '2026-06-01T06:00:00Z' })),
    ]);
    expect(codes(entry)).toEqual(['future-date']);
  });

  it('duplicate-id: one source sends two records under one id', () => {
    const { entry } = findingsOf([
      sourced(observation({ id: 'd' }), 'lis', 'OBX/1'),
      sourced(observation({ id: 'd', valueQuantity: { value: 4.3, unit: 'mmol/L' } }), 'lis', 'OBX/1'),
    ]);
    expect(codes(entry)).toContain('duplicate-id');
    // A retried page repeats a record unchanged: counted once, and no defect.
    const retried = findingsOf([sourced(observation({ id: 'r' }), 'lis', 'OBX/2'), sourced(observation({ id: 'r' }), 'lis', 'OBX/2')]);
    expect(codes(retried.entry)).toEqual([]);
  });

  it('value-conflict: two sources report the same result with different values', () => {
    const items = [
      sourced(observation({ id: 'v' }), 'lis'),
      sourced(
        observation({ id: 'v', valueQuantity: { value: 5.9, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' } }),
        'cdr',
      ),
    ];
    const { entries } = buildCheckedTimeline(items, NOW);
    const conflicts = entries.flatMap((e) => e.quality ?? []).filter((f) => f.code === 'value-conflict');
    expect(entries.some((e) => (e.conflicts?.length ?? 0) > 0)).toBe(true);
    expect(conflicts).toHaveLength(entries.reduce((n, e) => n + (e.conflicts?.length ?? 0), 0));
    expect(conflicts[0]!.params?.sources).toMatch(/lis/);
  });

  it('the report counts per source and kind and lists the top unmapped codes', () => {
    const { entry } = findingsOf([
      sourced(observation({ id: '1', code: { coding: [{ system: 'urn:lis', code: 'A' }] } })),
      sourced(observation({ id: '2', code: { coding: [{ system: 'urn:lis', code: 'A' }] }, effectiveDateTime: '2026-04-01T00:00:00Z' })),
      sourced(observation({ id: '3', code: { coding: [{ system: 'urn:lis', code: 'B' }] } })),
    ]);
    expect(qualityReport(entry)).toEqual([
      {
        sourceId: 'lis',
        findings: 3,
        byCode: { 'unmapped-code': 3 },
        topUnmappedCodes: [
          { system: 'urn:lis', code: 'A', count: 2 },
          { system: 'urn:lis', code: 'B', count: 1 },
        ],
      },
    ]);
  });
});

const sample = fileURLToPath(new URL('../../../../fixtures/real-world/hl7v2/hcmi-oul-r24-liver-renal-panel-st.hl7', import.meta.url));

describe.skipIf(!existsSync(sample))('data-quality on a public sample (a Chinese LIS OUL^R24, real-world corpus)', () => {
  it('finds the local codes without a mapping (果糖胺, the serum indices) and nothing on the mapped analytes', () => {
    const converted = convertHl7Message(readHl7Message(readFileSync(sample)));
    const items = converted.map((c) => ({
      resource: c.resource,
      provenance: {
        sourceId: 'lis',
        sourceName: 'LIS',
        sourceKind: 'hl7v2' as const,
        nativeId: c.nativeId,
        messageType: c.messageType,
        fetchedAt: NOW.toISOString(),
      },
    }));
    const { entries } = buildCheckedTimeline(items, NOW);
    const findings = entries.flatMap((e) => e.quality ?? []);
    const unmapped = findings.filter((f) => f.code === 'unmapped-code').map((f) => f.params?.code);
    expect(unmapped).toEqual(expect.arrayContaining(['0301032', '0301514', '0301515', '0301516']));
    expect(unmapped).not.toContain('0301013');
    expect(codes(findings)).not.toContain('implausible-value');
  });
});
