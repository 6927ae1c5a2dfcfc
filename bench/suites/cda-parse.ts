/**
 * CDA parse + convert time for a large document, against parsing alone (the XML parser's floor).
 * The document is the real HL7 C-CDA discharge summary fixture with its result section repeated
 * until it holds `entries` coded observations — the shape of a long inpatient stay's lab report.
 */
import { readFileSync } from 'node:fs';
import { convertCdaDocument } from '../../src/adapters/cda/convert-cda.ts';
import { parseXml } from '../../src/adapters/xml/index.ts';
import { medianMs, type BenchSuite, type Figure } from '../measure.ts';

function labEntry(i: number): string {
  const value = (70 + (i % 60)).toString();
  return (
    '<entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>' +
    `<id root="2.16.156.10011.0.99.6" extension="obs-${i}"/><code code="2345-7" codeSystem="2.16.840.1.113883.6.1" displayName="Glucose"/><statusCode code="completed"/>` +
    `<effectiveTime value="2024${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}0830+0800"/>` +
    `<value xsi:type="PQ" value="${value}" unit="mg/dL"/><interpretationCode code="N" codeSystem="2.16.840.1.113883.5.83"/>` +
    '<referenceRange><observationRange><value xsi:type="IVL_PQ"><low value="70" unit="mg/dL"/><high value="99" unit="mg/dL"/></value></observationRange></referenceRange></observation></entry>'
  );
}

export function largeCdaDocument(entries: number): string {
  const base = readFileSync(new URL('../../test/fixtures/cda/ccda-discharge-summary.xml', import.meta.url), 'utf8');
  const rows = Array.from({ length: entries }, (_, i) => `<tr><td>Glucose</td><td>${70 + (i % 60)} mg/dL</td></tr>`).join('');
  const section =
    '<component><section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/><title>RESULTS</title>' +
    `<text><table><thead><tr><th>Test</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table></text>${Array.from({ length: entries }, (_, i) => labEntry(i)).join('')}</section></component>`;
  return base.replace('</structuredBody>', `${section}</structuredBody>`);
}

export const cdaParse: BenchSuite = {
  name: 'CDA: parse + convert a large document to FHIR',
  async run() {
    const figures: Figure[] = [];
    for (const entries of [1_000, 5_000]) {
      const xml = largeCdaDocument(entries);
      const mb = (Buffer.byteLength(xml) / 1_048_576).toFixed(1);
      const parseOnly = await medianMs(5, () => parseXml(xml));
      const full = await medianMs(5, () => convertCdaDocument(xml, { now: '2025-01-01T00:00:00Z' }));
      figures.push({
        name: `parse+convert, ${entries} coded results (${mb} MB)`,
        value: full,
        unit: 'ms',
        baseline: { name: 'parse only', value: parseOnly },
        lowerIsBetter: false,
      });
    }
    return figures;
  },
};
