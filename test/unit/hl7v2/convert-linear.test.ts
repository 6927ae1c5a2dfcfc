import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { readHl7Message } from '../../../src/adapters/hl7v2/read-hl7-bytes.ts';
import { convertHl7Message } from '../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { encode, hugeOru } from '../../support/inbound-hl7-harness.ts';

function convertTimed(results: number): { ms: number; report: DiagnosticReport; observations: Observation[] } {
  const message = readHl7Message(encode(hugeOru({ controlId: `LIN${results}`, results })));
  const start = performance.now();
  const out = convertHl7Message(message, { idNamespace: 'lis' });
  const ms = performance.now() - start;
  const resources = out.map((c) => c.resource);
  return {
    ms,
    report: resources.find((r): r is DiagnosticReport => r.resourceType === 'DiagnosticReport')!,
    observations: resources.filter((r): r is Observation => r.resourceType === 'Observation'),
  };
}

describe('HL7 v2 conversion is linear in the number of results (issue 13 item 5)', () => {
  it('a 40,000-OBX ORU takes about 4× a 10,000-OBX one, not 16× (each OBX once copied the report’s list)', () => {
    convertTimed(2000); // warm-up: JIT and the UCUM tables
    // The fastest of a few runs each: a collection or a busy neighbour inflates single runs.
    const fastest = (results: number, runs: number) => Array.from({ length: runs }, () => convertTimed(results)).reduce((a, b) => (b.ms < a.ms ? b : a));
    const small = fastest(10_000, 3);
    const large = fastest(40_000, 2);
    expect(large.report.result).toHaveLength(40_000);
    expect(large.report.result?.[39_999]).toEqual({ reference: `Observation/${large.observations[39_999]!.id}` });
    // NTE after every tenth OBX: one note each, on that observation.
    expect(large.observations[9]!.note).toEqual([{ text: 'n10' }]);
    expect(large.observations.filter((o) => o.note).length).toBe(4000);
    // Linear: ×4 the work. Quadratic was ×16; the bound leaves room for a busy machine.
    expect(large.ms / small.ms).toBeLessThan(10);
  }, 120_000);
});
