import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../src/adapters/xml/safe-xml.ts';
import { convertHl7v3ToBundle } from '../../../../src/adapters/hl7v3/convert-hl7v3.ts';
import { buildEnvelope } from '../../../../src/adapters/hl7v3/soap-envelope.ts';

function cpuMs(run: () => void): number {
  const start = process.threadCpuUsage();
  run();
  const used = process.threadCpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A large SOAP answer that is not a patient message: read to its refusal, the cost is the parse. */
function bigDocumentAnswer(cells: number): string {
  const table = `<table><tbody>${'<tr><td><content ID="c">血常规</content></td></tr>'.repeat(cells)}</tbody></table>`;
  const body =
    '<RetrieveDocumentResponse xmlns="urn:hl7-org:v3"><interactionId root="2.16.840.1.113883.1.6" extension="RetrieveDocumentResponse"/>' +
    `<controlActProcess classCode="CACT" moodCode="EVN"><subject><document><text>${table}</text></document></subject></controlActProcess></RetrieveDocumentResponse>`;
  return buildEnvelope({
    version: '1.1',
    action: 'urn:hl7-org:v3:RetrieveDocument',
    messageId: 'urn:uuid:1',
    relatesTo: 'urn:uuid:0',
    body,
  });
}

describe('huizhen convert hl7v3 reads a SOAP answer with one parse (found by npm run fuzz, case 64405)', () => {
  it('a 1 MB enveloped answer costs about one XML parse, not two', () => {
    const xml = new TextEncoder().encode(bigDocumentAnswer(20_000));
    const convert = () => {
      try {
        convertHl7v3ToBundle(xml);
      } catch {
        // Refused as not a patient message: only the time to get there is measured.
      }
    };
    // Fastest of three each, so a busy machine's worst moments drop out.
    const fastest = (run: () => void) => Math.min(...Array.from({ length: 3 }, () => cpuMs(run)));
    const parse = fastest(() => parseXml(xml));
    const converted = fastest(convert);
    expect(() => convertHl7v3ToBundle(xml)).toThrow(/not a patient message/);
    // The envelope parsed twice made it ≈ 2× one parse.
    expect(converted).toBeLessThan(parse * 1.5);
  }, 60_000);
});
