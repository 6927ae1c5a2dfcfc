import { readFileSync } from 'node:fs';
import { readHl7Message } from '../../src/adapters/hl7v2/read-hl7-bytes.ts';
import { convertHl7Message } from '../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { medianMs, type BenchSuite, type Figure } from '../measure.ts';

const FIXTURES = [
  'fhir-converter/LRI_2.0-NG_CBC_Typ_Message.hl7',
  'fhir-converter/ADT-A01-01.hl7',
  'fhir-converter/LAB-ORU-1.hl7',
  'fhir-converter/RDE-O11-01.hl7',
  'python-hl7/hl7-standard-oru-r01.hl7',
];

function corpus(): Uint8Array[] {
  return FIXTURES.map((f) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/hl7v2/${f}`, import.meta.url))));
}

/** HL7 v2 messages per second: decode + parse + convert to FHIR R4, against decode + parse alone. */
export const hl7v2Throughput: BenchSuite = {
  name: 'HL7 v2: parse + convert to FHIR R4 (real ADT/ORU/RDE samples)',
  async run() {
    const messages = corpus();
    const rounds = 400;
    const total = messages.length * rounds;
    const parseOnly = await medianMs(5, () => {
      for (let r = 0; r < rounds; r++) for (const m of messages) readHl7Message(m).segments.forEach((s) => s.repetitions(3));
    });
    const parseConvert = await medianMs(5, () => {
      for (let r = 0; r < rounds; r++) for (const m of messages) convertHl7Message(readHl7Message(m), { idNamespace: 'bench' });
    });
    const perSecond = (ms: number): number => (total / ms) * 1000;
    const bytes = messages.reduce((n, m) => n + m.length, 0) / messages.length;
    const figures: Figure[] = [
      {
        name: `parse + convert, ${messages.length} messages (avg ${Math.round(bytes)} B) × ${rounds}`,
        value: perSecond(parseConvert),
        unit: 'msg/s',
        baseline: { name: 'parse only', value: perSecond(parseOnly) },
        lowerIsBetter: false,
        goal: '> 2,000 msg/s on 2 cores',
      },
    ];
    return figures;
  },
};
