/**
 * HIS pharmacy orders (RDE^O11, OMP^O09, and RXO/RXE in any order message) → MedicationRequest,
 * so the medication list reconciles what the HIS ordered with what the CDR and the EMR's
 * documents say. The give code (RXE-2/RXO-1) keeps its coding system (NDC, RxNorm, ATC) or the
 * HIS's own formulary code; dose (RXE-3/4/5) as UCUM where the unit is one; route from RXR;
 * frequency from TQ1 or the older TQ in RXE-1 or ORC-7; the order's state from ORC-1/ORC-5.
 */
import type {
  CodeableConcept,
  Dosage,
  Encounter,
  Identifier,
  MedicationRequest,
  Patient,
  Quantity,
  Reference,
  Timing,
} from '@medplum/fhirtypes';
import { fhirUnit } from '../../units/index.ts';
import type { Hl7Composite, Hl7Segment } from '../hl7-message.ts';
import { codeableConcept, comp, dateTime, identifier, type DataTypeContext } from './datatypes.ts';
import { stableId } from './ids.ts';

type Ctx = DataTypeContext & { namespace: string; fallbackKey: string };

/** ORC-5 order status (HL7 table 0038). */
const ORDER_STATUS: Record<string, MedicationRequest['status']> = {
  A: 'active',
  IP: 'active',
  SC: 'active',
  CA: 'cancelled',
  DC: 'stopped',
  CM: 'completed',
  HD: 'on-hold',
  ER: 'entered-in-error',
};

/** ORC-1 order control (table 0119): what the message does to the order. */
const CONTROL_STATUS: Record<string, MedicationRequest['status']> = {
  NW: 'active',
  OK: 'active',
  SC: 'active',
  RP: 'active',
  XO: 'active',
  XX: 'active',
  RL: 'active',
  CA: 'cancelled',
  OC: 'cancelled',
  CR: 'cancelled',
  DC: 'stopped',
  OD: 'stopped',
  DR: 'stopped',
  HD: 'on-hold',
  OH: 'on-hold',
};
/** Controls that end the order: they win over a stale ORC-5 ("DC" sent with ORC-5 still "IP"). */
const ENDING_CONTROLS = new Set(['CA', 'OC', 'CR', 'DC', 'OD', 'DR']);

export function orderStatus(orc: Hl7Segment | undefined): MedicationRequest['status'] {
  const control = comp(orc?.composite(1), 1).toUpperCase();
  const state = comp(orc?.composite(5), 1).toUpperCase();
  if (ENDING_CONTROLS.has(control)) return CONTROL_STATUS[control]!;
  return ORDER_STATUS[state] ?? CONTROL_STATUS[control] ?? 'unknown';
}

const GTS = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';
type Repeat = NonNullable<Timing['repeat']>;
/** Repeat patterns HIS orders use (HL7 table 0335 and the 中文 医嘱 abbreviations, which are the same Latin ones). */
const REPEATS: Record<string, Repeat> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  QOD: { frequency: 1, period: 2, periodUnit: 'd' },
  QN: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  QHS: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  QW: { frequency: 1, period: 1, periodUnit: 'wk' },
};
const GTS_CODES = new Set(['QD', 'BID', 'TID', 'QID', 'QOD', 'QHS', 'AM', 'PM', 'WK']);

/** "Q8H", "Q30M", "Q2D" → every n hours/minutes/days. */
function intervalRepeat(code: string): Repeat | undefined {
  const m = /^Q(\d{1,3})(H|M|D|W)$/.exec(code);
  if (!m) return undefined;
  const unit = ({ H: 'h', M: 'min', D: 'd', W: 'wk' } as const)[m[2] as 'H' | 'M' | 'D' | 'W'];
  return { frequency: 1, period: Number(m[1]), periodUnit: unit };
}

/** A repeat pattern code (and its text) → Timing; PRN ("as needed") is not a rhythm and is returned apart. */
function timingOf(code: string, text: string, start?: string, end?: string): { timing?: Timing; asNeeded: boolean } {
  const upper = code.toUpperCase().replace(/\s+/g, '');
  const asNeeded = upper === 'PRN';
  const repeat = asNeeded ? undefined : (REPEATS[upper] ?? intervalRepeat(upper));
  const bounds = start ? { boundsPeriod: { start, ...(end ? { end } : {}) } } : {};
  const label = text || code;
  if (!repeat && !label && !start) return { asNeeded };
  const coded = GTS_CODES.has(upper) || /^Q\d{1,2}H$/.test(upper);
  return {
    asNeeded,
    timing: {
      ...(repeat || start ? { repeat: { ...bounds, ...repeat } } : {}),
      ...(label && !asNeeded ? { code: { ...(coded ? { coding: [{ system: GTS, code: upper }] } : {}), text: label } } : {}),
    },
  };
}

/**
 * The order's timing: TQ1 (v2.5+) when the message has one, else the older TQ: RXE-1, or ORC-7
 * (where ORM^O01 and RXO-only orders carry it: "^3 times daily^^20210401", "^Q6H^D10").
 */
function timingFrom(
  rx: Hl7Segment,
  orc: Hl7Segment | undefined,
  tq1: Hl7Segment | undefined,
  ctx: Ctx,
): { timing?: Timing; asNeeded: boolean } {
  if (tq1) {
    const rpt = tq1.composite(3);
    return timingOf(comp(rpt, 1), comp(rpt, 2), dateTime(comp(tq1.composite(7), 1), ctx), dateTime(comp(tq1.composite(8), 1), ctx));
  }
  const hasTq = (c: Hl7Composite | undefined): c is Hl7Composite => !!c && [2, 4, 5].some((n) => comp(c, n, 1) !== '');
  const rxe1 = rx.name === 'RXE' ? rx.composite(1) : undefined;
  const tq = hasTq(rxe1) ? rxe1 : orc?.composite(7);
  if (!hasTq(tq)) return { asNeeded: false };
  return timingOf(comp(tq, 2, 1), '', dateTime(comp(tq, 4), ctx), dateTime(comp(tq, 5), ctx));
}

function quantity(value: string, units: Hl7Composite): Quantity | undefined {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) return undefined;
  // CWE units: "mg^milligram^UCUM", a local code with the unit as its text ("43^mg/hr"), or,
  // in Chinese HIS, "^mg" / "片" alone: whichever component is a UCUM unit, else the words.
  const candidates = [comp(units, 1), comp(units, 2)].map((u) => fhirUnit(u)).filter((u) => u !== undefined);
  const unit = candidates.find((u) => u.code !== undefined) ?? fhirUnit(comp(units, 2) || comp(units, 1));
  return { value: n, ...(unit ?? {}) };
}

function orderIdentifiers(orc: Hl7Segment | undefined, ctx: Ctx): Identifier[] {
  if (!orc) return [];
  const typed = (c: Hl7Composite, code: 'PLAC' | 'FILL'): Identifier | undefined => {
    const id = identifier(c, ctx);
    // ORC-2/3 are EI (id^namespace^universal id): the namespace is the issuing system.
    const namespace = comp(c, 2);
    return id
      ? {
          ...id,
          ...(namespace && !id.system ? { system: `urn:huizhen:hl7v2:order:${encodeURIComponent(namespace)}` } : {}),
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code }] },
        }
      : undefined;
  };
  return [typed(orc.composite(2), 'PLAC'), typed(orc.composite(3), 'FILL')].filter((x): x is Identifier => !!x);
}

/** The requester as people read it: a Chinese name unspaced, else "given family". */
function requesterOf(orc: Hl7Segment | undefined): string | undefined {
  const c = orc?.composite(12);
  if (!c) return undefined;
  const family = comp(c, 2, 1);
  const given = comp(c, 3);
  const text = /\p{Script=Han}/u.test(family + given) ? family + given : [given, family].filter(Boolean).join(' ');
  return text || comp(c, 1) || undefined;
}

function dosageOf(
  rx: Hl7Segment,
  orc: Hl7Segment | undefined,
  routes: readonly Hl7Segment[],
  tq1: Hl7Segment | undefined,
  ctx: Ctx,
): Dosage | undefined {
  const isRxe = rx.name === 'RXE';
  // RXE-3/4/5 give amount min/max and units; RXO-2/3/4 the requested ones.
  const units = rx.composite(isRxe ? 5 : 4);
  const low = quantity(comp(rx.composite(isRxe ? 3 : 2), 1), units);
  const high = quantity(comp(rx.composite(isRxe ? 4 : 3), 1), units);
  const route = routes.map((r) => codeableConcept(r.composite(1), ctx)).find((c) => c !== undefined);
  const method = routes.map((r) => codeableConcept(r.composite(4), ctx)).find((c) => c !== undefined);
  const { timing, asNeeded } = timingFrom(rx, orc, tq1, ctx);
  // RXE-7 / RXO-7 provider's administration instructions: free text in the second component.
  const instructions = rx
    .repetitions(7)
    .map((r) => comp(r, 2) || comp(r, 1))
    .filter(Boolean);
  const dose = low && high && high.value !== low.value ? { doseRange: { low, high } } : low ? { doseQuantity: low } : undefined;
  const text = [
    low ? `${low.value}${low.unit ? ` ${low.unit}` : ''}` : '',
    timing?.code?.text ?? '',
    route?.text ?? '',
    asNeeded ? 'PRN' : '',
    ...instructions,
  ]
    .filter(Boolean)
    .join(' ');
  if (!dose && !timing && !route && !text) return undefined;
  return {
    ...(text ? { text } : {}),
    ...(timing ? { timing } : {}),
    ...(asNeeded ? { asNeededBoolean: true } : {}),
    ...(route ? { route } : {}),
    ...(method ? { method } : {}),
    ...(dose ? { doseAndRate: [dose] } : {}),
  };
}

export interface PharmacyOrderParts {
  orc?: Hl7Segment;
  /** TQ1 of the order (RDE_O11/OMP_O09 put it after ORC, and again after RXE). */
  tq1?: Hl7Segment;
  /** RXR segments that follow the RXO/RXE. */
  routes: readonly Hl7Segment[];
}

/** One MedicationRequest per order: the key is the filler (else placer) number, so RXO and RXE of one order, or a later DC of it, name the same resource. */
export function pharmacyOrder(
  rx: Hl7Segment,
  parts: PharmacyOrderParts,
  subject: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  ctx: Ctx,
): MedicationRequest {
  const isRxe = rx.name === 'RXE';
  const medication: CodeableConcept = codeableConcept(rx.composite(isRxe ? 2 : 1), ctx) ?? { text: 'Medication' };
  const identifiers = orderIdentifiers(parts.orc, ctx);
  const orderId = identifiers.find((i) => i.type?.coding?.[0]?.code === 'FILL') ?? identifiers[0];
  const key = orderId ? `order|${orderId.system ?? ''}|${orderId.value}` : ctx.fallbackKey;
  // ORC-9 transaction time; else ORC-15 order effective time; else RXE-32 original order time.
  const authoredOn =
    dateTime(comp(parts.orc?.composite(9), 1), ctx) ??
    dateTime(comp(parts.orc?.composite(15), 1), ctx) ??
    (isRxe ? dateTime(comp(rx.composite(32), 1), ctx) : undefined);
  const requester = requesterOf(parts.orc);
  const dosage = dosageOf(rx, parts.orc, parts.routes, parts.tq1, ctx);
  const dispense = isRxe ? quantity(comp(rx.composite(10), 1), rx.composite(11)) : undefined;
  const refillText = isRxe ? comp(rx.composite(12), 1) : '';
  const refills = refillText === '' ? NaN : Number(refillText);
  return {
    resourceType: 'MedicationRequest',
    id: stableId('rx', ctx.namespace, key),
    ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
    status: orderStatus(parts.orc),
    intent: 'order',
    medicationCodeableConcept: medication,
    subject: subject ?? { display: 'unknown patient' },
    ...(encounter ? { encounter } : {}),
    ...(authoredOn ? { authoredOn } : {}),
    ...(requester ? { requester: { display: requester } } : {}),
    ...(dosage ? { dosageInstruction: [dosage] } : {}),
    ...(dispense || Number.isInteger(refills)
      ? {
          dispenseRequest: {
            ...(dispense ? { quantity: dispense } : {}),
            ...(Number.isInteger(refills) ? { numberOfRepeatsAllowed: refills } : {}),
          },
        }
      : {}),
  };
}
