/**
 * The parts of an imaging report a document carries as text beside its original (a converted
 * CDA 检查报告 / Diagnostic Imaging Report): each text attachment of a DocumentReference is
 * tagged with the DICOM section concept it holds, so the report panel can show 检查所见,
 * 诊断意见 and the indication without re-parsing the CDA. The codes are DICOM's (PS3.16 CID
 * 7001), the ones C-CDA DIR itself uses for these sections.
 */
export const REPORT_SECTION_EXTENSION = 'https://huizhen.dev/fhir/StructureDefinition/report-section';
export const DCM_SYSTEM = 'http://dicom.nema.org/resources/ontology/DCM';

export type ReportSection = 'findings' | 'impression' | 'indication';

export const REPORT_SECTION_CODES: Readonly<Record<ReportSection, { code: string; display: string }>> = {
  findings: { code: '121070', display: 'Findings' },
  impression: { code: '121072', display: 'Impressions' },
  indication: { code: '121109', display: 'Indications for Procedure' },
};

/** Which report part a DCM code names, if any. */
export function reportSectionOfCode(system: unknown, code: unknown): ReportSection | undefined {
  if (system !== DCM_SYSTEM) return undefined;
  for (const [part, c] of Object.entries(REPORT_SECTION_CODES) as [ReportSection, { code: string }][]) if (c.code === code) return part;
  return undefined;
}
