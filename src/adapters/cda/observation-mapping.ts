/**
 * One CDA observation → FHIR Observation: status, category from the section kind, effective time,
 * the value by its data type (PQ/INT/REAL/MO → Quantity with its unit through the shared unit
 * module, CD → CodeableConcept, text → string), interpretation and reference ranges.
 */
import type { CodeableConcept, Observation, ObservationReferenceRange } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { fhirUnit } from '../units/index.ts';
import type { EntryContext } from './cda-entries.ts';
import { conceptWithNarrative, textWithNarrative } from './narrative-references.ts';
import { attr, child, children, readCd, readPeriod, readPq, textOf, xsiType } from '../xml/index.ts';

/** WS/T 500 "检验定量结果计量单位": the unit of a REAL result, sent as a nested observation. */
const DE_RESULT_UNIT = 'DE04.30.016.00';

export function effectiveOf(el: Element, ctx: EntryContext): { start?: string; end?: string } | undefined {
  return readPeriod(child(el, 'effectiveTime'), ctx.read);
}

export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

function observationStatus(el: Element): Observation['status'] {
  const s = attr(child(el, 'statusCode'), 'code');
  if (s === 'aborted' || s === 'cancelled') return 'cancelled';
  if (s === 'active' || s === 'new' || s === 'held') return 'preliminary';
  return 'final';
}

function referenceRanges(el: Element, ctx: EntryContext): ObservationReferenceRange[] {
  const out: ObservationReferenceRange[] = [];
  for (const range of children(el, 'referenceRange')) {
    const obsRange = child(range, 'observationRange');
    const value = child(obsRange, 'value');
    const low = value ? child(value, 'low') : undefined;
    const high = value ? child(value, 'high') : undefined;
    const lowQ = low ? readPq(low, ctx.read) : undefined;
    const highQ = high ? readPq(high, ctx.read) : undefined;
    const text = textOf(child(obsRange, 'text'));
    if (lowQ || highQ || text) out.push({ ...(lowQ ? { low: lowQ } : {}), ...(highQ ? { high: highQ } : {}), ...(text ? { text } : {}) });
  }
  return out;
}

/** WS/T 500 lab results send the unit as a nested DE04.30.016.00 observation. */
function nestedUnit(el: Element): string | undefined {
  for (const rel of children(el, 'entryRelationship')) {
    const obs = child(rel, 'observation');
    if (obs && attr(child(obs, 'code'), 'code') === DE_RESULT_UNIT) return textOf(child(obs, 'value'));
  }
  return undefined;
}

export function toObservation(el: Element, value: Element | undefined, code: CodeableConcept, ctx: EntryContext): Observation | undefined {
  const type = value ? xsiType(value) : undefined;
  const base: Observation = {
    resourceType: 'Observation',
    id: ctx.idFor(el),
    status: observationStatus(el),
    ...(ctx.kind === 'results' || ctx.kind === 'vitals'
      ? { category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: ctx.kind === 'results' ? 'laboratory' : 'vital-signs' }] }] }
      : {}),
    code,
    subject: ctx.subject,
    ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
  };
  const period = effectiveOf(el, ctx);
  if (period?.start && period.end && period.end !== period.start) base.effectivePeriod = period;
  else base.effectiveDateTime = period?.start ?? period?.end ?? ctx.documentTime;

  if (value && (type === 'PQ' || type === 'INT' || type === 'REAL' || type === 'MO')) {
    const q = readPq(value, ctx.read);
    if (!q) return undefined;
    const nested = q.unit ? undefined : nestedUnit(el);
    const unit = nested ? fhirUnit(nested) : undefined;
    base.valueQuantity = unit ? { ...q, ...unit } : q;
  } else if (value && (type === 'CD' || type === 'CE' || type === 'CV' || type === 'CO')) {
    const cc = conceptWithNarrative(value, ctx.narrative);
    if (!cc) return undefined;
    base.valueCodeableConcept = cc;
  } else if (value && (type === 'ST' || type === 'ED' || type === undefined)) {
    const s = textWithNarrative(value, ctx.narrative);
    if (!s) return undefined;
    base.valueString = s;
  } else {
    // IVL_PQ, RTO, BL…: kept as text rather than guessed at.
    const s = textOf(value) ?? attr(value, 'value');
    if (!s) return undefined;
    base.valueString = s;
  }
  const interpretation = children(el, 'interpretationCode')
    .map(readCd)
    .filter((c): c is CodeableConcept => !!c);
  if (interpretation.length > 0) base.interpretation = interpretation;
  const ranges = referenceRanges(el, ctx);
  if (ranges.length > 0) base.referenceRange = ranges;
  return base;
}
