import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { groupByPatient } from '../../../../../src/main/services/inbound-hl7/push-records.ts';

const source = { sourceId: 'lis', sourceName: 'LIS', patientIdAuthority: 'LIS', receivedAt: '2025-03-01T02:00:00.000Z' };
/** `authority` null: none configured (undefined would take the default). */
const group = (text: string, configured: string | null = 'LIS') => {
  const authority = configured ?? undefined;
  const message = parseHl7Message(text);
  return groupByPatient(
    message,
    convertHl7Message(message, { idNamespace: 'lis', ...(authority ? { patientIdAuthority: authority } : {}) }),
    { ...source, patientIdAuthority: authority },
  );
};

describe('grouping a push by patient', () => {
  it('an ORU with two patients gives two record sets, each keyed by its LIS id, provenance marked as a push', () => {
    const result = group(
      [
        'MSH|^~\\&|LIS|H|HZ||20250301||ORU^R01|A/1|P|2.5',
        'PID|1||X1^^^HIS^MR~L1^^^LIS^MR',
        'OBR|1||F1|GLU^Glucose^L',
        'OBX|1|NM|GLU^Glucose^L||5|mmol/L',
        'PID|2||L2^^^LIS^MR',
        'OBR|1||F2|K^Potassium^L',
        'OBX|1|NM|K^Potassium^L||4|mmol/L',
      ].join('\r'),
    );
    if (!result.ok) throw new Error(result.problem.text);
    expect(result.pushes.map((p) => [p.sourcePatientId, p.records.map((r) => r.resource.resourceType)])).toEqual([
      ['L1', ['Patient', 'DiagnosticReport', 'Observation']],
      ['L2', ['Patient', 'DiagnosticReport', 'Observation']],
    ]);
    expect(result.pushes[0]!.records[0]!.provenance).toEqual({
      sourceId: 'lis',
      sourceName: 'LIS',
      sourceKind: 'hl7v2',
      nativeId: 'A/1/PID/1',
      messageType: 'ORU^R01 (push)',
      fetchedAt: source.receivedAt,
    });
  });

  it('without a configured authority the MR-typed identifier keys the patient', () => {
    const result = group('MSH|^~\\&|LIS|H|HZ||20250301||ADT^A08|B1|P|2.5\rPID|1||N1^^^CN-RID^NNCHN~M9^^^ANY^MR', null);
    expect(result.ok && result.pushes.map((p) => p.sourcePatientId)).toEqual(['M9']);
  });

  it("no PID, or a PID without the authority's identifier, is a located problem", () => {
    expect(group('MSH|^~\\&|LIS|H|HZ||20250301||ADT^A08|B2|P|2.5\rEVN|A08')).toMatchObject({
      ok: false,
      problem: { errorCode: '100', location: { segment: 'PID' } },
    });
    expect(group('MSH|^~\\&|LIS|H|HZ||20250301||ADT^A08|B3|P|2.5\rPID|1||X^^^LIS^MR\rPID|2||Y^^^HIS^MR')).toMatchObject({
      ok: false,
      problem: { errorCode: '101', location: { segment: 'PID', sequence: 2, field: 3 } },
    });
  });

  it('results before any PID have no patient to go to', () => {
    expect(group('MSH|^~\\&|LIS|H|HZ||20250301||ORU^R01|B4|P|2.5\rOBX|1|NM|K^K^L||4\rPID|1||L1^^^LIS^MR')).toMatchObject({
      ok: false,
      problem: { errorCode: '100' },
    });
  });
});
