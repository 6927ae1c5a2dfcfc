/**
 * Reads an Observation's value[x] (and its components) out as data — every R4 choice, not only
 * the quantity — and gives a one-line, language-neutral summary of it (numbers, units, codes;
 * no words: the renderer words the value). Called off the hot path only: a plain valueQuantity
 * without components never comes here.
 */
import type { CodeableConcept, Observation, ObservationComponent as FhirComponent, Quantity, SampledData } from '@medplum/fhirtypes';
import type { ObservationComponent, ObservationValue, QuantityPart, SimpleValue } from '../../../shared/domain/observation-value.ts';
import { conceptText } from './concept-text.ts';

const LOINC = 'http://loinc.org';

/** The value[x] fields an Observation and its components share. */
type ValueHolder = Pick<
  Observation,
  | 'valueQuantity'
  | 'valueCodeableConcept'
  | 'valueString'
  | 'valueBoolean'
  | 'valueInteger'
  | 'valueRange'
  | 'valueRatio'
  | 'valueSampledData'
  | 'valueTime'
  | 'valueDateTime'
  | 'valuePeriod'
>;

function quantityPart(q: Quantity | undefined): QuantityPart | undefined {
  if (!q) return undefined;
  const unit = q.unit ?? q.code;
  return {
    ...(q.value !== undefined ? { value: q.value } : {}),
    ...(unit ? { unit } : {}),
    ...(q.comparator ? { comparator: q.comparator } : {}),
  };
}

function conceptValue(concept: CodeableConcept): SimpleValue | undefined {
  const text = conceptText(concept);
  if (text === undefined) return undefined;
  const coding = concept.coding?.[0];
  return { type: 'concept', text, ...(coding?.code ? { code: coding.code } : {}), ...(coding?.system ? { system: coding.system } : {}) };
}

/** A waveform in a line: count, spacing, extent; the samples themselves stay in the resource. */
function sampledValue(s: SampledData): SimpleValue {
  const dimensions = Math.max(1, s.dimensions ?? 1);
  let count = 0;
  let min: number | undefined;
  let max: number | undefined;
  const origin = s.origin?.value ?? 0;
  const factor = s.factor ?? 1;
  for (const token of (s.data ?? '').split(' ')) {
    if (token === '') continue;
    count += 1;
    const raw = Number(token);
    // "E", "L", "U" mark error, below and above the detection limit: counted, not measured.
    if (!Number.isFinite(raw)) continue;
    const v = origin + raw * factor;
    if (min === undefined || v < min) min = v;
    if (max === undefined || v > max) max = v;
  }
  const unit = s.origin?.unit ?? s.origin?.code;
  return {
    type: 'sampled',
    samples: Math.floor(count / dimensions),
    periodMs: s.period ?? 0,
    dimensions,
    ...(unit ? { unit } : {}),
    ...(min !== undefined ? { min, max } : {}),
  };
}

/** The value[x] that is present, in R4's order of choices. */
export function simpleValueOf(h: ValueHolder): SimpleValue | undefined {
  if (h.valueQuantity) return { type: 'quantity', quantity: quantityPart(h.valueQuantity)! };
  if (h.valueCodeableConcept) return conceptValue(h.valueCodeableConcept);
  if (h.valueString !== undefined) return { type: 'string', value: h.valueString };
  if (h.valueBoolean !== undefined) return { type: 'boolean', value: h.valueBoolean };
  if (h.valueInteger !== undefined) return { type: 'integer', value: h.valueInteger };
  if (h.valueRange)
    return { type: 'range', ...optional('low', quantityPart(h.valueRange.low)), ...optional('high', quantityPart(h.valueRange.high)) };
  if (h.valueRatio)
    return {
      type: 'ratio',
      ...optional('numerator', quantityPart(h.valueRatio.numerator)),
      ...optional('denominator', quantityPart(h.valueRatio.denominator)),
    };
  if (h.valueSampledData) return sampledValue(h.valueSampledData);
  if (h.valueTime !== undefined) return { type: 'time', value: h.valueTime };
  if (h.valueDateTime !== undefined) return { type: 'dateTime', value: h.valueDateTime };
  if (h.valuePeriod) return { type: 'period', ...optional('start', h.valuePeriod.start), ...optional('end', h.valuePeriod.end) };
  return undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const ABNORMAL = new Set(['A', 'AA', 'H', 'HH', 'HU', 'L', 'LL', 'LU', '>', '<', 'POS', 'R', 'W', 'IND']);

function componentOf(c: FhirComponent): ObservationComponent {
  const loinc = c.code?.coding?.find((x) => x.system === LOINC && x.code)?.code;
  const value = simpleValueOf(c);
  const abnormal = c.interpretation?.some((i) => (i.coding ?? []).some((x) => x.code !== undefined && ABNORMAL.has(x.code)));
  return {
    label: conceptText(c.code) ?? loinc ?? '',
    ...(loinc ? { loinc } : {}),
    ...(value ? { value } : {}),
    ...(abnormal ? { abnormal } : {}),
  };
}

/**
 * The value to send as data, or undefined when the entry's `lab` and `summary` already say it
 * all (a plain valueQuantity) or there is no value.
 */
export function observationValueOf(o: Observation): ObservationValue | undefined {
  if (o.component && o.component.length > 0) {
    const main = simpleValueOf(o);
    return { type: 'components', components: o.component.map(componentOf), ...(main ? { main } : {}) };
  }
  if (o.valueQuantity) return undefined;
  return simpleValueOf(o);
}

function quantityText(q: QuantityPart | undefined, withUnit = true): string {
  if (!q) return '';
  return `${q.comparator ?? ''}${q.value ?? ''}${withUnit && q.unit ? ` ${q.unit}` : ''}`.trim();
}

/** One line of numbers, units and codes (no words): the entry's `summary`, what search and the CLI read. */
export function valueSummary(value: ObservationValue): string | undefined {
  switch (value.type) {
    case 'quantity':
      return quantityText(value.quantity) || undefined;
    case 'string':
      return value.value;
    case 'concept':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'integer':
      return String(value.value);
    case 'time':
    case 'dateTime':
      return value.value;
    case 'period':
      // ISO 8601 interval notation.
      return `${value.start ?? '..'}/${value.end ?? '..'}`;
    case 'ratio':
      return `${quantityText(value.numerator)}/${quantityText(value.denominator)}`;
    case 'range': {
      const unit = value.high?.unit ?? value.low?.unit;
      return `${quantityText(value.low, false)}–${quantityText(value.high, false)}${unit ? ` ${unit}` : ''}`;
    }
    case 'sampled':
      return value.min !== undefined ? `${value.min}–${value.max}${value.unit ? ` ${value.unit}` : ''}` : undefined;
    case 'components': {
      const main = value.main ? valueSummary(value.main) : undefined;
      return main ? `${main}; ${componentsSummary(value.components)}` : componentsSummary(value.components);
    }
  }
}

/** 120/80 mmHg when every component is a quantity in one unit (blood pressure); else each with its label. */
function componentsSummary(components: readonly ObservationComponent[]): string {
  const units = new Set(components.map((c) => (c.value?.type === 'quantity' ? (c.value.quantity.unit ?? '') : undefined)));
  if (components.length > 1 && units.size === 1 && !units.has(undefined)) {
    const unit = [...units][0];
    return `${components.map((c) => (c.value?.type === 'quantity' ? quantityText(c.value.quantity, false) : '')).join('/')}${unit ? ` ${unit}` : ''}`;
  }
  return components.map((c) => `${c.label} ${c.value ? (valueSummary(c.value) ?? '') : ''}`.trim()).join('; ');
}
