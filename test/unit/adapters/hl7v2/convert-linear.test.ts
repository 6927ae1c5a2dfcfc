import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { readHl7Message } from '../../../../src/adapters/hl7v2/read-hl7-bytes.ts';
import { convertHl7Message } from '../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { encode, hugeOru } from '../../../support/inbound-hl7-harness.ts';

function convertTimed(results: number): { ms: number; report: DiagnosticReport; observations: Observation[] } {
  const message = readHl7Message(encode(hugeOru({ controlId: `LIN${results}`, results })));
  // This thread's CPU time, not the wall clock: on a loaded machine the wall clock also counts
  // the time other processes held the core.
  const start = process.threadCpuUsage();
  const out = convertHl7Message(message, { idNamespace: 'lis' });
  const used = process.threadCpuUsage(start);
  const ms = (used.user + used.system) / 1000;
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
    const fastest = (results: number, runs: number) =>
      Array.from({ length: runs }, () => convertTimed(results)).reduce((a, b) => (b.ms < a.ms ? b : a));
    const small = fastest(10_000, 3);
    const large = fastest(40_000, 2);
    expect(large.report.result).toHaveLength(40_000);
    expect(large.report.result?.[39_999]).toEqual({ reference: `Observation/${large.observations[39_999]!.id}` });
    // NTE after every tenth OBX: one note each, on that observation.
    expect(large.observations[9]!.note).toEqual([{ text: 'n10' }]);
    expect(large.observations.filter((o) => o.note).length).toBe(4000);
    // Linear: ×4 the work. Quadratic was ×16; the bound leaves room for collections a larger heap
    // brings (a CI run at load ≈ 20 measured 10.0 by the wall clock).
    expect(large.ms / small.ms).toBeLessThan(12);
  }, 120_000);
});

/** An ADT with `merges` MRG segments after one PID, and `field` as MSH-4. */
function adtWithMerges(merges: number, facility = 'HOSP'): string {
  const segments = [
    `MSH|^~\\&|HIS|${facility}|HZ|HZ|20240601120000||ADT^A40|MRG${merges}|P|2.5`,
    'EVN|A40|20240601120000',
    'PID|1||P1^^^HIS||张^伟',
  ];
  for (let i = 0; i < merges; i++) segments.push(`MRG|OLD${i}^^^HIS`);
  return segments.join('\r');
}

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('HL7 v2 conversion stays linear on other repeated or huge parts (found by npm run fuzz)', () => {
  it('20,000 MRG segments take about 4× 5,000, not 16× (each MRG once copied the surviving Patient.link)', () => {
    const convert = (n: number) => convertHl7Message(readHl7Message(encode(adtWithMerges(n))), { idNamespace: 'his' });
    convert(500);
    const fastest = (n: number, runs: number) => Math.min(...Array.from({ length: runs }, () => cpuMs(() => convert(n))));
    const small = fastest(5_000, 3);
    const large = fastest(20_000, 2);
    const out = convert(20_000).map((c) => c.resource);
    const surviving = out.find((r) => r.resourceType === 'Patient' && !('active' in r && r.active === false));
    expect(surviving && 'link' in surviving ? surviving.link : []).toHaveLength(20_000);
    expect(large / small).toBeLessThan(10);
  }, 120_000);

  it('a 300 kB sending facility is hashed once per message, not once per resource', () => {
    const huge = 'F'.repeat(300_000);
    const withHugeFacility = readHl7Message(encode(adtWithMerges(2_000, huge)));
    const ms = cpuMs(() => convertHl7Message(withHugeFacility, { idNamespace: 'his' }));
    const baseline = cpuMs(() => convertHl7Message(readHl7Message(encode(adtWithMerges(2_000))), { idNamespace: 'his' }));
    // Hashing 300 kB for each of 2,000 resources would be 600 MB of SHA-256 (≈ 1–2 s).
    expect(ms).toBeLessThan(baseline * 5 + 200);
  }, 120_000);
});

describe('HL7 v2 fields that feed patterns or every resource are bounded (found by npm run fuzz)', () => {
  it('a 40,000-digit OBX-7 reference range is kept as text at once, not backtracked over', () => {
    const segments = hugeOru({ controlId: 'RANGE', results: 1 })
      .split('\r')
      .map((s) =>
        s.startsWith('OBX|')
          ? s
              .split('|')
              .map((f, i) => (i === 7 ? '9'.repeat(40_000) : f))
              .join('|')
          : s,
      );
    const message = readHl7Message(encode(segments.join('\r')));
    let out: ReturnType<typeof convertHl7Message> = [];
    const ms = cpuMs(() => (out = convertHl7Message(message, { idNamespace: 'lis' })));
    const obs = out.map((c) => c.resource).find((r): r is Observation => r.resourceType === 'Observation');
    expect(obs?.referenceRange?.[0]?.text).toHaveLength(40_000);
    expect(ms).toBeLessThan(1_000);
  });

  it('a 200 kB MSH-9 and MSH-10 with 5,000 PV1 segments: each resource carries a bounded message type and id', () => {
    const header = `MSH|^~\\&|HIS|HOSP|HZ|HZ|20240601120000||${'A'.repeat(200_000)}|${'C'.repeat(200_000)}|P|2.5`;
    const segments = [header, 'PID|1||P1^^^HIS||张^伟', ...Array.from({ length: 5_000 }, (_, i) => `PV1|${i + 1}|I|CARD-1^${i}`)];
    const message = readHl7Message(encode(segments.join('\r')));
    let out: ReturnType<typeof convertHl7Message> = [];
    const ms = cpuMs(() => (out = convertHl7Message(message, { idNamespace: 'his' })));
    expect(out.length).toBeGreaterThan(5_000);
    expect(Math.max(...out.map((c) => c.messageType.length + c.nativeId.length))).toBeLessThan(400);
    expect(ms).toBeLessThan(5_000);
  }, 60_000);
});

describe('keys every resource of a message repeats are bounded once (found by npm run fuzz, case 97159)', () => {
  it('a 300 kB OBR-3 order number with 5,000 OBX is hashed once, not into every observation id', () => {
    const segments = hugeOru({ controlId: 'OBR3', results: 5_000 })
      .split('\r')
      .map((s) =>
        s.startsWith('OBR|')
          ? s
              .split('|')
              .map((f, i) => (i === 3 ? '('.repeat(300_000) : f))
              .join('|')
          : s,
      );
    const message = readHl7Message(encode(segments.join('\r')));
    let out: ReturnType<typeof convertHl7Message> = [];
    const ms = cpuMs(() => (out = convertHl7Message(message, { idNamespace: 'lis' })));
    const ids = out.map((c) => c.resource.id ?? '');
    expect(new Set(ids).size).toBe(ids.length);
    // Hashing 300 kB for each of 5,000 observations would be 1.5 GB of SHA-256 (seconds).
    expect(ms).toBeLessThan(3_000);
  }, 60_000);
});
