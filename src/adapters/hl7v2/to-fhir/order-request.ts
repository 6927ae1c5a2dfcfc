/**
 * An order message's OBR (ORM^O01, OMI^O23, OMG^O19) → ServiceRequest: what a HIS/RIS sends when
 * a doctor orders a study, long before any result. Here the OBR is a request, never a report:
 * OBR-31 Reason for Study → reasonCode, OBR-13 Relevant Clinical Information → note, OBR-16
 * Ordering Provider (else ORC-12) → requester, ORC-9 (else OBR-6 Requested Date/Time) →
 * authoredOn, OBR-18 or IPC-1 → accession number, IPC-3 → Study Instance UID (OMI's Imaging
 * Procedure Control, which IHE Radiology fills with what the modality will write).
 * The id is the one an imaging report on the same order gets (results.ts, imaging-order.ts), so
 * a later ORU's report names this order in basedOn.
 */
import type { Encounter, Identifier, Patient, Reference, ServiceRequest } from '@medplum/fhirtypes';
import type { Hl7Composite, Hl7Segment } from '../hl7-message.ts';
import { codeableConcept, comp, dateTime, identifier, type DataTypeContext } from './datatypes.ts';
import { isImagingSection, reasonsForStudy, relevantClinicalInfo } from './imaging-order.ts';
import { boundedKey, stableId } from './ids.ts';
import { orderStatus } from './pharmacy-order.ts';

type Ctx = DataTypeContext & { namespace: string; fallbackKey: string };

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const UID = /^[0-9]+(\.[0-9]+)*$/;

/** Message codes whose OBR is an order (general, imaging, general clinical order). */
const ORDER_MESSAGES = new Set(['ORM', 'OMI', 'OMG']);

export function isOrderMessage(messageCode: string): boolean {
  return ORDER_MESSAGES.has(messageCode.toUpperCase());
}

/** The order's state, from ORC-1 (order control) and ORC-5 (order status), as ServiceRequest.status. */
const STATUS: Record<string, ServiceRequest['status']> = {
  active: 'active',
  'on-hold': 'on-hold',
  cancelled: 'revoked',
  stopped: 'revoked',
  completed: 'completed',
  'entered-in-error': 'entered-in-error',
  unknown: 'unknown',
};

/** XCN as people read it: a Chinese name unspaced, else "given family"; the id when no name. */
function personName(c: Hl7Composite | undefined): string | undefined {
  if (!c) return undefined;
  const family = comp(c, 2, 1);
  const given = comp(c, 3);
  const text = /\p{Script=Han}/u.test(family + given) ? family + given : [given, family].filter(Boolean).join(' ');
  return text || comp(c, 1) || undefined;
}

const typed = (id: Identifier | undefined, code: 'PLAC' | 'FILL'): Identifier | undefined =>
  id ? { ...id, type: { coding: [{ system: V2_0203, code }] } } : undefined;

/** OBR-2/3 (else ORC-2/3) as placer and filler numbers; the first is also the resource's key. */
function orderNumbers(obr: Hl7Segment, orc: Hl7Segment | undefined, ctx: Ctx): { key: string; ids: Identifier[] } {
  const placer = identifier(obr.composite(2), ctx) ?? (orc ? identifier(orc.composite(2), ctx) : undefined);
  const filler = identifier(obr.composite(3), ctx) ?? (orc ? identifier(orc.composite(3), ctx) : undefined);
  const key = boundedKey(
    filler ? `filler|${filler.system ?? ''}|${filler.value}` : placer ? `placer|${placer.system ?? ''}|${placer.value}` : ctx.fallbackKey,
  );
  return { key, ids: [typed(placer, 'PLAC'), typed(filler, 'FILL')].filter((i): i is Identifier => i !== undefined) };
}

/** The accession number (OBR-18, else IPC-1) and the Study Instance UID (IPC-3) the study will carry. */
function studyIdentifiers(obr: Hl7Segment, ipcs: readonly Hl7Segment[]): Identifier[] {
  const accession = comp(obr.composite(18), 1) || ipcs.map((s) => comp(s.composite(1), 1)).find(Boolean);
  const uids = [...new Set(ipcs.map((s) => comp(s.composite(3), 1)).filter((u) => UID.test(u) && u.length <= 64))];
  return [
    ...(accession ? [{ type: { coding: [{ system: V2_0203, code: 'ACSN' }], text: 'Accession number' }, value: accession }] : []),
    ...uids.map((uid) => ({ system: 'urn:dicom:uid', value: `urn:oid:${uid}` })),
  ];
}

export interface OrderRequestParts {
  orc?: Hl7Segment;
  /** IPC segments after the OBR (OMI^O23): one per requested procedure step. */
  ipcs: readonly Hl7Segment[];
  /** The message's code (ORM, OMI …): OMI orders are imaging by definition. */
  messageCode: string;
}

export function serviceRequestFromObr(
  obr: Hl7Segment,
  parts: OrderRequestParts,
  subject: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  ctx: Ctx,
): ServiceRequest {
  const { key, ids } = orderNumbers(obr, parts.orc, ctx);
  const section = comp(obr.composite(24), 1).toUpperCase();
  const imaging = parts.messageCode.toUpperCase() === 'OMI' || isImagingSection(section) || parts.ipcs.length > 0;
  const identifiers = [...ids, ...(imaging ? studyIdentifiers(obr, parts.ipcs) : [])];
  const reasonCode = reasonsForStudy(obr, ctx);
  const notes = relevantClinicalInfo(obr);
  const requester = personName(obr.repetitions(16)[0]) ?? personName(parts.orc?.repetitions(12)[0]);
  const authoredOn = dateTime(comp(parts.orc?.composite(9), 1), ctx) ?? dateTime(comp(obr.composite(6), 1), ctx);
  const procedure = codeableConcept(obr.composite(4), ctx) ?? codeableConcept(parts.ipcs[0]?.composite(7), ctx);
  return {
    resourceType: 'ServiceRequest',
    id: stableId('sr', ctx.namespace, key),
    ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
    status: STATUS[orderStatus(parts.orc) ?? 'unknown'] ?? 'unknown',
    intent: 'order',
    ...(imaging
      ? {
          category: [
            {
              coding: [
                { system: V2_0074, code: section || 'RAD' },
                { system: 'http://snomed.info/sct', code: '363679005' },
              ],
            },
          ],
        }
      : {}),
    code: procedure ?? { text: 'Order' },
    subject: subject ?? { display: 'unknown patient' },
    ...(encounter ? { encounter } : {}),
    ...(authoredOn ? { authoredOn } : {}),
    ...(requester ? { requester: { display: requester } } : {}),
    ...(reasonCode.length > 0 ? { reasonCode } : {}),
    ...(notes.length > 0 ? { note: notes.map((text) => ({ text })) } : {}),
  };
}
