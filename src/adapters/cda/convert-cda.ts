/**
 * One CDA R2 document (C-CDA or WS/T 500) → FHIR R4: a Composition mirroring its sections with
 * sanitized narrative, a DocumentReference holding the original XML (application/hl7-v3+xml) and
 * the rendered safe HTML, the coded resources its entries carry, and — for a standalone bundle —
 * the Patient from recordTarget and a Provenance naming the document as their source.
 */
import type {
  Attachment,
  Bundle,
  BundleEntry,
  Composition,
  CompositionSection,
  DocumentReference,
  Patient,
  Provenance,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { CdaError, iiToIdentifier, parseXml, pathOf, type ReadContext, rootElement, undeclaredCharset } from '../xml/index.ts';
import { readHeader, type CdaHeader } from './cda-header.ts';
import { visitEntryNode, type EntryContext } from './cda-entries.ts';
import { readBody, type CdaSection } from './cda-sections.ts';
import { deterministicUuid } from './deterministic-id.ts';
import { readImagingReport, reportContent, reportRelated, type ImagingReportParts } from './imaging-report.ts';
import { escapeHtml, narrativeDiv } from './narrative-html.ts';
import { narrativeLookup } from './narrative-references.ts';

export const CDA_CONTENT_TYPE = 'application/hl7-v3+xml';

export interface CdaConvertOptions {
  /** Zone for timestamps that have a time but no offset (default "+08:00", China Standard Time). */
  defaultTimezone?: string;
  /** The caller's own Patient for this person (an adapter that already has one): no Patient is made. */
  patient?: Reference<Patient>;
  /** Instant for the Provenance record (default now). */
  now?: string;
}

export interface ConvertedResource<R extends Resource = Resource> {
  resource: R;
  /** Where in the document it came from: "<doc root>^<ext>#<xpath>". */
  nativeId: string;
}

export interface CdaConversion {
  header: CdaHeader;
  patient?: Patient;
  composition: Composition;
  documentReference: DocumentReference;
  /** Observations, Conditions, MedicationStatements, AllergyIntolerances. */
  clinical: ConvertedResource[];
  /** Sanitized HTML of the whole document (also in the DocumentReference). */
  html: string;
  /** Tolerated problems: unreadable optional values that were skipped. */
  warnings: string[];
  /** For a 检查报告 / Diagnostic Imaging Report: its study keys and texts (also in the DocumentReference). */
  imagingReport?: ImagingReportParts;
}

function bytesOf(input: string | Uint8Array): Buffer {
  return typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

function sectionHtml(section: CdaSection, level: number): string {
  const heading = section.title ? `<h${level}>${escapeHtml(section.title)}</h${level}>` : '';
  const nested = section.sections.map((s) => sectionHtml(s, Math.min(level + 1, 6))).join('');
  return `<section class="cda-section">${heading}${section.html}${nested}</section>`;
}

function isInstant(value: string): boolean {
  return /T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value);
}

function buildPatient(header: CdaHeader, id: string): Patient {
  const p = header.patient;
  return {
    resourceType: 'Patient',
    id,
    ...(p.identifiers.length > 0 ? { identifier: p.identifiers } : {}),
    ...(p.names.length > 0 ? { name: p.names } : {}),
    ...(p.gender ? { gender: p.gender } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
    ...(p.telecom.length > 0 ? { telecom: p.telecom } : {}),
    ...(p.addresses.length > 0 ? { address: p.addresses } : {}),
  };
}

export function convertCdaDocument(input: string | Uint8Array, options: CdaConvertOptions = {}): CdaConversion {
  const doc = rootElement(parseXml(input, 'the CDA document'));
  const warnings: string[] = [];
  const read: ReadContext = {
    defaultTimezone: options.defaultTimezone ?? '+08:00',
    onProblem: (path, message) => warnings.push(`${path}: ${message}`),
  };
  const header = readHeader(doc, read);
  const body = readBody(doc);
  const docKey = `${header.id.root}^${header.id.extension ?? ''}`;
  const patientId = deterministicUuid(`${docKey}#patient`);
  const patient = options.patient ? undefined : buildPatient(header, patientId);
  const subject: Reference<Patient> = options.patient ?? {
    reference: `Patient/${patientId}`,
    ...(patient?.name?.[0]?.text ? { display: patient.name[0].text } : {}),
  };

  const documentCode = header.code.coding?.[0]?.code;
  const narrative = narrativeLookup(doc);
  const clinical: ConvertedResource[] = [];
  const bySection = new Map<string, Reference[]>();

  const convertSection = (section: CdaSection): void => {
    const refs: Reference[] = [];
    const ctx: EntryContext = {
      kind: section.kind,
      flavour: header.flavour,
      ...(documentCode ? { documentCode } : {}),
      narrative,
      section: {
        ...(section.loinc ? { loinc: section.loinc } : {}),
        ...(section.title ? { title: section.title } : {}),
        templateIds: section.templateIds,
      },
      subject,
      documentTime: header.effectiveTime,
      read,
      idFor: (el: Element) => deterministicUuid(`${docKey}#${pathOf(el)}`),
      emit: (resource, from) => {
        clinical.push({ resource, nativeId: `${docKey}#${pathOf(from)}` });
        refs.push({ reference: `${resource.resourceType}/${resource.id ?? ''}` });
      },
    };
    for (const entry of section.entries) {
      for (let n = entry.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 1) {
          try {
            visitEntryNode(n as Element, ctx);
          } catch (error) {
            // A broken entry must not sink the document: the narrative still shows it.
            if (error instanceof CdaError) warnings.push(error.message);
            else throw error;
          }
        }
      }
    }
    bySection.set(section.path, refs);
    section.sections.forEach(convertSection);
  };
  if (body.kind === 'structured') body.sections.forEach(convertSection);

  const toCompositionSection = (section: CdaSection): CompositionSection => {
    const entries = bySection.get(section.path) ?? [];
    return {
      ...(section.title ? { title: section.title } : {}),
      ...(section.code ? { code: section.code } : {}),
      text: { status: 'generated', div: narrativeDiv(section.html) },
      ...(entries.length > 0 ? { entry: entries } : {}),
      ...(section.sections.length > 0 ? { section: section.sections.map(toCompositionSection) } : {}),
    };
  };

  const title = header.title ?? header.code.text ?? header.code.coding?.[0]?.display ?? 'Clinical document';
  const sectionsHtml = body.kind === 'structured' ? body.sections.map((s) => sectionHtml(s, 2)).join('') : '';
  const html = `<article class="cda-document"><h1>${escapeHtml(title)}</h1>${sectionsHtml}</article>`;
  const documentIdentifier = iiToIdentifier(header.id);
  const authorRefs = header.authors.map((a) => ({ display: [a.name, a.organization].filter(Boolean).join(', ') })).filter((a) => a.display);
  const encounterPeriod = header.encounter?.period;

  const composition: Composition = {
    resourceType: 'Composition',
    id: deterministicUuid(`${docKey}#composition`),
    identifier: documentIdentifier,
    status: 'final',
    type: header.code,
    subject,
    date: header.effectiveTime,
    author: authorRefs.length > 0 ? authorRefs : [{ display: header.custodian ?? 'unknown author' }],
    title,
    ...(header.confidentiality ? { confidentiality: header.confidentiality as Composition['confidentiality'] } : {}),
    ...(header.custodian ? { custodian: { display: header.custodian } } : {}),
    ...(body.kind === 'structured' ? { section: body.sections.map(toCompositionSection) } : {}),
  };

  const original = bytesOf(input);
  // The prolog of a GBK file saved without (or with a wrong) encoding would make a viewer read it as UTF-8.
  const charset = undeclaredCharset(original);
  const content: { attachment: Attachment }[] = [
    {
      attachment: {
        contentType: charset ? `${CDA_CONTENT_TYPE}; charset=${charset}` : CDA_CONTENT_TYPE,
        data: original.toString('base64'),
        size: original.length,
        title,
        ...(isInstant(header.effectiveTime) ? { creation: header.effectiveTime } : {}),
      },
    },
    {
      attachment: { contentType: 'text/html; charset=utf-8', data: Buffer.from(html, 'utf8').toString('base64'), title: `${title} (HTML)` },
    },
  ];
  const imagingReport = readImagingReport(doc, header, narrative);
  if (imagingReport) content.push(...reportContent(imagingReport, title));
  const related = imagingReport ? reportRelated(imagingReport) : [];
  if (body.kind === 'nonXml' && body.body.base64 !== undefined) {
    content.push({ attachment: { contentType: body.body.mediaType, data: body.body.base64, title: `${title} (${body.body.mediaType})` } });
  }
  const documentReference: DocumentReference = {
    resourceType: 'DocumentReference',
    id: deterministicUuid(`${docKey}#document`),
    masterIdentifier: documentIdentifier,
    ...(header.setId ? { identifier: [iiToIdentifier(header.setId)] } : {}),
    status: 'current',
    docStatus: 'final',
    type: header.code,
    subject,
    ...(isInstant(header.effectiveTime) ? { date: header.effectiveTime } : {}),
    ...(authorRefs.length > 0 ? { author: authorRefs } : {}),
    ...(header.custodian ? { custodian: { display: header.custodian } } : {}),
    description: title,
    content,
    context: {
      // When the care happened (the stay) if the document says so, else when it was written.
      period: encounterPeriod ?? { start: header.effectiveTime },
      ...(header.encounter?.type ? { practiceSetting: header.encounter.type } : {}),
      // The imaging study and its order, by accession number / Study Instance UID.
      ...(related.length > 0 ? { related } : {}),
    },
  };

  return {
    header,
    ...(patient ? { patient } : {}),
    composition,
    documentReference,
    clinical,
    html,
    warnings,
    ...(imagingReport ? { imagingReport } : {}),
  };
}

/** The FHIR document Bundle the CLI prints: Composition first, then everything it made. */
export function conversionToBundle(conversion: CdaConversion, now: string = new Date().toISOString()): Bundle {
  const { header, patient, composition, documentReference, clinical } = conversion;
  const resources: Resource[] = [composition, ...(patient ? [patient] : []), documentReference, ...clinical.map((c) => c.resource)];
  const provenance: Provenance = {
    resourceType: 'Provenance',
    id: deterministicUuid(`${header.id.root}^${header.id.extension ?? ''}#provenance`),
    target: resources.map((r) => ({ reference: `${r.resourceType}/${r.id ?? ''}` })),
    recorded: now,
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }],
      text: 'converted from CDA R2 by Huizhen',
    },
    agent: [{ who: { display: header.custodian ?? header.authors[0]?.organization ?? 'document author' } }],
    entity: [{ role: 'source', what: { reference: `DocumentReference/${documentReference.id ?? ''}`, display: composition.title } }],
  };
  const entries: BundleEntry[] = [...resources, provenance].map((resource) => ({ fullUrl: `urn:uuid:${resource.id ?? ''}`, resource }));
  return {
    resourceType: 'Bundle',
    type: 'document',
    identifier: iiToIdentifier(header.id),
    ...(isInstant(header.effectiveTime) ? { timestamp: header.effectiveTime } : {}),
    entry: entries,
  };
}

export function convertCdaToBundle(xml: string | Uint8Array, options: CdaConvertOptions = {}): Bundle {
  return conversionToBundle(convertCdaDocument(xml, options), options.now);
}
