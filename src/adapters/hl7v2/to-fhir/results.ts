/**
 * OBR → DiagnosticReport and OBX → Observation: values by type (NM, SN, ST/TX/FT, CE/CWE,
 * DT/TS, ED; ST/TX that hold a number become Quantity too), units through the shared unit module
 * (UCUM only where it is UCUM), reference ranges, abnormal flags and status.
 */
import type {
  CodeableConcept,
  DiagnosticReport,
  Encounter,
  Observation,
  ObservationReferenceRange,
  Patient,
  Quantity,
  Reference,
} from '@medplum/fhirtypes';
import type { Hl7Composite, Hl7Segment } from '../hl7-message.ts';
import { clean, codeableConcept, comp, dateTime, identifier, type DataTypeContext, conceptKey } from './datatypes.ts';
import { boundedKey, stableId } from './ids.ts';
import { fhirUnit } from '../../units/index.ts';
import { interpretation } from './interpretation.ts';
import { numericText } from './numeric-text.ts';
import { accessionOf, isImagingSection } from './imaging-order.ts';
import { encapsulatedAttachment } from './encapsulated-data.ts';
import { VALUE_SENT_AS_TEXT_EXTENSION } from '../../../shared/domain/quality.ts';

const OBSERVATION_STATUS: Record<string, Observation['status']> = {
  F: 'final',
  C: 'corrected',
  A: 'amended',
  P: 'preliminary',
  R: 'preliminary',
  S: 'preliminary',
  I: 'registered',
  O: 'registered',
  X: 'cancelled',
  D: 'entered-in-error',
  W: 'entered-in-error',
  U: 'final',
};

const REPORT_STATUS: Record<string, DiagnosticReport['status']> = {
  F: 'final',
  C: 'corrected',
  A: 'partial',
  P: 'preliminary',
  R: 'partial',
  S: 'partial',
  I: 'registered',
  O: 'registered',
  X: 'cancelled',
  Y: 'registered',
  Z: 'registered',
};

const LAB_CATEGORY: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }],
  text: '检验',
};
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export interface ReportScope {
  report: DiagnosticReport;
  key: string;
  effective?: string;
}

type ResultContext = DataTypeContext & { namespace: string; fallbackKey: string };

/** HL7 0396 names for unit systems whose codes are units: UCUM, ISO 2955, ANSI X3.50. */
const UNIT_SYSTEMS = new Set(['', 'UCUM', 'ISO+', 'ANS+', 'ISO2955']);

/**
 * OBX-6 as a unit: "10^9/L" written without escaping "^" arrives as two components ("10",
 * "9/L"), as many LIS send it: put back together. Otherwise component 1 is the code and 2 its
 * text; when component 3 names a local code system, component 1 is a code, not a unit.
 */
function readUnits(units: Hl7Composite): { written: string; text: string } {
  const c1 = comp(units, 1);
  const c2 = comp(units, 2);
  // Either "10^9/L" (components 1–2) or "^10^9/L" (the unit meant for component 2, split into 2–3).
  for (const at of [1, 2]) {
    const power = comp(units, at);
    const rest = comp(units, at + 1);
    if (/^[xX×*]?10$/.test(power) && /^\d{1,2}\//.test(rest)) return { written: `${power}^${rest}`, text: '' };
  }
  if (!UNIT_SYSTEMS.has(comp(units, 3).toUpperCase())) return { written: '', text: c2 };
  return { written: c1, text: c2 };
}

function quantity(value: number, units: Hl7Composite, comparator?: Quantity['comparator']): Quantity {
  const { written, text } = readUnits(units);
  const fromCode = fhirUnit(written);
  const fromText = fhirUnit(text);
  const coded = fromCode?.code ? fromCode : fromText?.code ? fromText : undefined;
  const display = text || written || comp(units, 1);
  return {
    value,
    ...(comparator ? { comparator } : {}),
    ...(display ? { unit: display } : {}),
    ...(coded ? { system: coded.system, code: coded.code } : {}),
  };
}

/**
 * A single text value that is a number → Quantity with the OBX-6 unit, the text as sent kept on
 * it (the data-quality checks report the habit); otherwise undefined.
 */
function numericQuantity(reps: readonly Hl7Composite[], units: Hl7Composite): Quantity | undefined {
  if (reps.length !== 1 || (reps[0]?.length ?? 0) > 1) return undefined;
  const sent = comp(reps[0], 1);
  const n = numericText(sent);
  return n
    ? { extension: [{ url: VALUE_SENT_AS_TEXT_EXTENSION, valueString: sent }], ...quantity(n.value, units, n.comparator) }
    : undefined;
}

type ObservationValue = Pick<
  Observation,
  'valueQuantity' | 'valueString' | 'valueCodeableConcept' | 'valueRange' | 'valueRatio' | 'valueDateTime' | 'component' | 'note'
>;

/** SN: [comparator]^num1[^separator^num2] — "<^0.5", "^182", "1^:^128", "2^-^5". */
function structuredNumeric(c: Hl7Composite, units: Hl7Composite): ObservationValue | undefined {
  const comparator = comp(c, 1);
  const num1 = comp(c, 2);
  const separator = comp(c, 3);
  const num2 = comp(c, 4);
  if (!NUMBER.test(num1)) return undefined;
  if (separator && NUMBER.test(num2)) {
    if (separator === ':' || separator === '/')
      return { valueRatio: { numerator: quantity(Number(num1), units), denominator: { value: Number(num2) } } };
    if (separator === '-') return { valueRange: { low: quantity(Number(num1), units), high: quantity(Number(num2), units) } };
  }
  const cmp = comparator === '<' || comparator === '<=' || comparator === '>' || comparator === '>=' ? comparator : undefined;
  return { valueQuantity: quantity(Number(num1), units, cmp) };
}

/**
 * A coded OBX-5. Systems that type every result CE (v2.3 LIS) send numbers in it ("15" with
 * OBX-6 "mm/h"): a bare number with a unit or range is a measurement, not a code. Repetitions are
 * several answers (organisms, findings), each kept as a component — a CodeableConcept's codings
 * would claim they are one concept.
 */
function codedValue(obx: Hl7Segment, reps: readonly Hl7Composite[], units: Hl7Composite, ctx: ResultContext): ObservationValue {
  const answers = reps.filter((r) => r.some((c) => c.some((x) => clean(x) !== '')));
  const first = answers[0];
  if (!first) return {};
  if (answers.length === 1 && comp(first, 2) === '' && comp(first, 3) === '' && (units.length > 0 || clean(obx.get(7)) !== '')) {
    const n = numericText(comp(first, 1));
    if (n) return { valueQuantity: quantity(n.value, units, n.comparator) };
  }
  if (answers.length === 1) {
    const concept = codeableConcept(first, ctx);
    return concept ? { valueCodeableConcept: concept } : {};
  }
  const code = codeableConcept(obx.composite(3), ctx) ?? { text: 'Observation' };
  const component = answers.flatMap((r) => {
    const concept = codeableConcept(r, ctx);
    return concept ? [{ code, valueCodeableConcept: concept }] : [];
  });
  return component.length > 0 ? { component } : {};
}

function observationValue(obx: Hl7Segment, ctx: ResultContext): ObservationValue {
  const type = comp(obx.composite(2), 1).toUpperCase();
  const reps = obx.repetitions(5);
  const first = reps[0];
  const units = obx.composite(6);
  if (!first || reps.every((r) => r.every((c) => c.every((s) => clean(s) === '')))) return {};
  const plain = (): string =>
    obx
      .texts(5)
      .map((t) => t.trim())
      .join('\n');
  switch (type) {
    case 'NM': {
      // LIS put "<0.5" in numeric fields more often than they use SN.
      const n = numericText(comp(first, 1));
      // Some write a second reading after the number ("2.5^(25,7 %)": the count, then its share): kept as a note.
      const extra = first.length > 1 ? obx.texts(5)[0]?.split(obx.componentSeparator).slice(1).join(' ').trim() : undefined;
      const note = extra ? { note: [{ text: extra }] } : {};
      return n ? { valueQuantity: quantity(n.value, units, n.comparator), ...note } : { valueString: plain() };
    }
    case 'SN':
      return structuredNumeric(first, units) ?? { valueString: plain() };
    case 'CE':
    case 'CWE':
    case 'CNE':
    case 'CF':
      return codedValue(obx, reps, units, ctx);
    case 'DT':
    case 'TS':
    case 'DTM': {
      const when = dateTime(comp(first, 1), ctx);
      return when ? { valueDateTime: when } : { valueString: plain() };
    }
    case 'TX': {
      // Repetitions of TX are lines of one text; one line that is a number is a measurement.
      const q = numericQuantity(reps, units);
      return q ? { valueQuantity: q } : { valueString: obx.texts(5).join('\n') };
    }
    case 'FT':
      return { valueString: obx.texts(5).join('\n') };
    case 'ST':
    case '': {
      // Chinese LIS send most numeric results as ST (or with no type), the unit in OBX-6.
      const q = numericQuantity(reps, units);
      return q ? { valueQuantity: q } : { valueString: plain() };
    }
    case 'ED':
      // Readable encapsulated data becomes a DocumentReference beside the Observation (convert-message);
      // its base64 is no result value. What cannot be read stays text, never dropped.
      return reps.every((r) => encapsulatedAttachment(r, undefined)) ? {} : { valueString: plain() };
    default:
      return { valueString: plain() };
  }
}

/** OBX-7: "3.5-5.1", "70_105", "4.50&5.90", "4.3 to 6.2", "<5", ">=10", or free text kept as text. */
/** A range longer than this is kept as text unparsed: the patterns below backtrack on a field of 37,000 digits. */
const RANGE_PARSE_LIMIT = 64;

export function referenceRange(text: string, units: Hl7Composite): ObservationReferenceRange | undefined {
  const t = clean(text);
  if (!t) return undefined;
  if (t.length > RANGE_PARSE_LIMIT) return { text: t };
  // "--" before "-": "0.4--8" is 0.4 to 8, not 0.4 to −8.
  const between = /^([+-]?\d+\.?\d*)\s*(?:--|-|–|—|~|_|&|to|－|～|至)\s*([+-]?\d+\.?\d*)$/i.exec(t);
  if (between) return { low: quantity(Number(between[1]), units), high: quantity(Number(between[2]), units), text: t };
  const bound = /^(<=|>=|<|>|≤|≥)\s*([+-]?\d+\.?\d*)$/.exec(t);
  if (bound) {
    const q = quantity(Number(bound[2]), units);
    return bound[1]!.startsWith('<') || bound[1] === '≤' ? { high: q, text: t } : { low: q, text: t };
  }
  return { text: t };
}

export function reportFromObr(
  obr: Hl7Segment,
  subject: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  ctx: ResultContext,
): ReportScope {
  const placer = identifier(obr.composite(2), ctx);
  const filler = identifier(obr.composite(3), ctx);
  const key = boundedKey(
    filler ? `filler|${filler.system ?? ''}|${filler.value}` : placer ? `placer|${placer.system ?? ''}|${placer.value}` : ctx.fallbackKey,
  );
  const effective = dateTime(comp(obr.composite(7), 1), ctx);
  const issuedAt = dateTime(comp(obr.composite(22), 1), ctx);
  const issued = issuedAt ? toInstant(issuedAt) : undefined;
  const code = codeableConcept(obr.composite(4), ctx) ?? { text: 'Laboratory report' };
  const section = comp(obr.composite(24), 1).toUpperCase();
  const category: CodeableConcept = {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: section || 'LAB' }],
    ...(section === '' || section === 'LAB' ? { text: '检验' } : {}),
  };
  const identifiers = [
    placer && { ...placer, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PLAC' }] } },
    filler && { ...filler, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'FILL' }] } },
    // An imaging report names its study by accession number (OBR-18): the viewer links it so.
    isImagingSection(section) ? accessionOf(obr) : undefined,
  ].filter((x) => !!x);
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: stableId('rpt', ctx.namespace, key),
    ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
    status: REPORT_STATUS[comp(obr.composite(25), 1).toUpperCase()] ?? 'unknown',
    category: [category],
    code,
    ...(subject ? { subject } : {}),
    ...(encounter ? { encounter } : {}),
    ...(effective ? { effectiveDateTime: effective } : {}),
    ...(issued ? { issued } : {}),
  };
  return { report, key, ...(effective ? { effective } : {}) };
}

/** FHIR instant needs seconds and a zone; a date-only value cannot be one. */
function toInstant(value: string): string | undefined {
  return /T\d{2}:\d{2}:\d{2}/.test(value) ? value : undefined;
}

export function observationFromObx(
  obx: Hl7Segment,
  scope: ReportScope | undefined,
  subject: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  ctx: ResultContext,
): Observation {
  const code = codeableConcept(obx.composite(3), ctx) ?? { text: 'Observation' };
  const codeKey = conceptKey(code);
  const key = scope ? `${scope.key}|${comp(obx.composite(1), 1)}|${codeKey}|${comp(obx.composite(4), 1)}` : ctx.fallbackKey;
  const effective = dateTime(comp(obx.composite(14), 1), ctx) ?? scope?.effective;
  const units = obx.composite(6);
  // "4.50&5.90": some senders split the range with the subcomponent separator (HAPI's own examples do).
  const range = referenceRange((obx.composite(7)[0] ?? []).join('&'), units);
  const flags = interpretation(obx);
  const issued = scope?.report.issued;
  const isLab = !scope || scope.report.category?.[0]?.coding?.[0]?.code === 'LAB';
  return {
    resourceType: 'Observation',
    id: stableId('obs', ctx.namespace, key),
    status: OBSERVATION_STATUS[comp(obx.composite(11), 1).toUpperCase()] ?? 'unknown',
    ...(isLab && scope ? { category: [LAB_CATEGORY] } : {}),
    code,
    ...(subject ? { subject } : {}),
    ...(encounter ? { encounter } : {}),
    ...(effective ? { effectiveDateTime: effective } : {}),
    ...(issued ? { issued } : {}),
    ...observationValue(obx, ctx),
    ...(flags.length > 0 ? { interpretation: flags } : {}),
    ...(range ? { referenceRange: [range] } : {}),
  };
}
