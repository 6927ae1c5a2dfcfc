/**
 * A radiology OBR's order, as the RIS sent it: the accession number in OBR-18 (Placer Field 1,
 * where IHE Radiology's Scheduled Workflow puts it) and why the study was ordered — OBR-31
 * Reason for Study and OBR-13 Relevant Clinical Information — as a ServiceRequest the report is
 * basedOn. That is the shape a RIS's FHIR order has, so the viewer's report panel shows the
 * indication beside the images whichever protocol brought it.
 */
import type { CodeableConcept, DiagnosticReport, Identifier, ServiceRequest } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../hl7-message.ts';
import { clean, codeableConcept, comp, type DataTypeContext } from './datatypes.ts';
import { stableId } from './ids.ts';

/**
 * HL7 table 0074 sections that are imaging (radiology, radiograph, CT, MR, nuclear medicine,
 * ultrasound, cine), and the DICOM modality codes many RIS and Chinese HIS send in OBR-24 instead
 * (MR rather than table 0074's NMR, US, DX/CR/DR, MG, XA, RF, PET, NM; not PT, which table 0074
 * gives to physical therapy).
 */
const IMAGING_SECTIONS = new Set([
  ...['RAD', 'RX', 'CT', 'NMR', 'NMS', 'RUS', 'OUS', 'CUS', 'VUS', 'XRC'],
  ...['MR', 'MRI', 'US', 'DX', 'CR', 'DR', 'MG', 'XA', 'RF', 'PET', 'NM'],
]);
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

export function isImagingSection(section: string): boolean {
  return IMAGING_SECTIONS.has(section.toUpperCase());
}

/** OBR-18 as the accession number, for an imaging OBR. */
export function accessionOf(obr: Hl7Segment): Identifier | undefined {
  const value = comp(obr.composite(18), 1);
  return value ? { type: { coding: [{ system: V2_0203, code: 'ACSN' }], text: 'Accession number' }, value } : undefined;
}

/** OBR-31 Reason for Study (CWE, repeating). */
export function reasonsForStudy(obr: Hl7Segment, ctx: DataTypeContext): CodeableConcept[] {
  return obr
    .repetitions(31)
    .map((r) => codeableConcept(r, ctx))
    .filter((c): c is CodeableConcept => c !== undefined);
}

/** OBR-13 Relevant Clinical Information: ST (CWE from v2.7), each repetition's components read as one line. */
export function relevantClinicalInfo(obr: Hl7Segment): string[] {
  return obr
    .repetitions(13)
    .map((r) => clean(r.map((c) => c.join('&')).join(' ')))
    .filter((t) => t !== '');
}

/** OBR-31 and OBR-13 as the reasons of the order behind a report. */
function reasons(obr: Hl7Segment, ctx: DataTypeContext): CodeableConcept[] {
  return [...reasonsForStudy(obr, ctx), ...relevantClinicalInfo(obr).map((text) => ({ text }))];
}

/**
 * The order behind an imaging report, when the OBR says why it was ordered; the report then
 * names it in basedOn. Labs are left alone: their OBR-13 is specimen remarks, not an indication.
 */
export function imagingOrder(
  obr: Hl7Segment,
  report: DiagnosticReport,
  key: string,
  ctx: DataTypeContext & { namespace: string },
): ServiceRequest | undefined {
  if (!isImagingSection(comp(obr.composite(24), 1))) return undefined;
  const reasonCode = reasons(obr, ctx);
  // A ServiceRequest needs its patient; an OBR before any PID has none to give.
  if (reasonCode.length === 0 || !report.subject) return undefined;
  const orderIds = (report.identifier ?? []).filter((i) => i.type?.coding?.some((c) => ['PLAC', 'FILL', 'ACSN'].includes(c.code ?? '')));
  return {
    resourceType: 'ServiceRequest',
    id: stableId('sr', ctx.namespace, key),
    ...(orderIds.length > 0 ? { identifier: orderIds } : {}),
    status: report.status === 'final' || report.status === 'corrected' || report.status === 'amended' ? 'completed' : 'active',
    intent: 'order',
    code: report.code,
    subject: report.subject,
    ...(report.encounter ? { encounter: report.encounter } : {}),
    reasonCode,
  };
}
