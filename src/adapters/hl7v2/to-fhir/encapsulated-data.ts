/**
 * OBX-5 of type ED (encapsulated data: a PDF report, an image, an HTML page) → an Attachment. ED is
 * source^type^subtype^encoding^data; senders fill type/subtype from HL7 tables 0191/0291 ("AP^PDF"),
 * as a MIME type ("application^pdf") or loosely ("Dokument^dokument.pdf^PDF"). The bytes become a
 * DocumentReference the document viewer can list, instead of kilobytes of base64 read as a result.
 */
import type { Attachment, DiagnosticReport, DocumentReference, Observation, Patient, Reference } from '@medplum/fhirtypes';
import type { Hl7Composite } from '../hl7-message.ts';
import { clean, comp } from './datatypes.ts';
import { stableId } from './ids.ts';

/** Table 0291 subtypes (and common file extensions) → MIME types. */
const SUBTYPES: Readonly<Record<string, string>> = {
  PDF: 'application/pdf',
  RTF: 'application/rtf',
  HTML: 'text/html',
  HTM: 'text/html',
  XML: 'application/xml',
  'X-HL7-CDA-LEVEL-ONE': 'application/hl7-v3+xml',
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
  PNG: 'image/png',
  GIF: 'image/gif',
  TIFF: 'image/tiff',
  TIF: 'image/tiff',
  BMP: 'image/bmp',
  PLAIN: 'text/plain',
  TXT: 'text/plain',
  DICOM: 'application/dicom',
};
const MIME_TOP = new Set(['application', 'image', 'text', 'audio', 'video', 'multipart', 'model']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

function mimeType(type: string, subtype: string): string {
  const t = type.toLowerCase();
  const s = subtype.toLowerCase();
  if (MIME_TOP.has(t) && /^[\w.+-]+$/.test(s)) return `${t}/${s}`;
  const known = SUBTYPES[subtype.toUpperCase()] ?? SUBTYPES[(/\.(\w+)$/.exec(type)?.[1] ?? '').toUpperCase()];
  if (known) return known;
  if (t === 'text') return 'text/plain';
  return 'application/octet-stream';
}

/** The ED repetition's bytes as base64, or undefined when it is not encapsulated data we can read. */
export function encapsulatedAttachment(ed: Hl7Composite | undefined, title: string | undefined): Attachment | undefined {
  if (!ed || ed.length < 5) return undefined;
  const encoding = clean(comp(ed, 4)).toUpperCase();
  const raw = ed
    .slice(4)
    .map((c) => c.join('&'))
    .join('^');
  let data: string | undefined;
  if (encoding === 'BASE64' || encoding === 'B64') {
    const compact = raw.replace(/\s+/g, '');
    data = BASE64.test(compact) && compact.length % 4 === 0 ? compact : undefined;
  } else if (encoding === 'HEX') {
    const compact = raw.replace(/\s+/g, '');
    data = HEX.test(compact) ? Buffer.from(compact, 'hex').toString('base64') : undefined;
  } else if (encoding === 'A' || encoding === 'ASCII' || encoding === 'NONE') data = Buffer.from(raw, 'utf8').toString('base64');
  if (!data) return undefined;
  return {
    contentType: mimeType(clean(comp(ed, 2)), clean(comp(ed, 3))),
    data,
    size: Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0),
    ...(title ? { title } : {}),
  };
}

/** The DocumentReference that carries an ED result, beside its Observation and report. */
export function encapsulatedDocument(
  attachments: Attachment[],
  observation: Observation,
  subject: Reference<Patient> | undefined,
  report: DiagnosticReport | undefined,
  namespace: string,
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: stableId('doc', namespace, observation.id ?? ''),
    status: 'current',
    type: observation.code,
    ...(subject ? { subject } : {}),
    ...(observation.effectiveDateTime ? { date: toInstant(observation.effectiveDateTime) } : {}),
    content: attachments.map((attachment) => ({ attachment })),
    ...(report?.id || observation.encounter
      ? {
          context: {
            ...(observation.encounter ? { encounter: [observation.encounter] } : {}),
            ...(report?.id ? { related: [{ reference: `DiagnosticReport/${report.id}` }] } : {}),
          },
        }
      : {}),
  };
}

/** DocumentReference.date is an instant: a date-only or minute-precision result time is left out. */
function toInstant(value: string): string | undefined {
  return /T\d{2}:\d{2}:\d{2}/.test(value) ? value : undefined;
}
