import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';

const adt = (event: string) =>
  [
    `MSH|^~\\&|HIS|HOSP|HUIZHEN|WARD|20261207080000||ADT^${event}^ADT_A01|MSG-${event}|P|2.5`,
    'PID|1||P0001^^^HOSP^MR||测试^患者||19700101|M',
    'PV1|1|I|CARD-1^101^1||||D1001^李^医生||||||||||||V0001^^^HOSP^VN|||||||||||||||||||||||||20261201080000',
  ].join('\r');

const encounterOf = (event: string): Encounter =>
  convertHl7Message(parseHl7Message(adt(event)))
    .map((r) => r.resource)
    .find((r): r is Encounter => r.resourceType === 'Encounter')!;

describe('HL7 v2 ADT: a cancelled stay', () => {
  it('an A11 (cancel admit) makes the same stay cancelled, never in progress', () => {
    const admitted = encounterOf('A01');
    const cancelled = encounterOf('A11');
    expect(admitted.status).toBe('in-progress');
    expect(cancelled.id).toBe(admitted.id);
    expect(cancelled.status).toBe('cancelled');
  });

  it('an A13 (cancel discharge) leaves the stay in progress', () => {
    expect(encounterOf('A13').status).toBe('in-progress');
  });
});
