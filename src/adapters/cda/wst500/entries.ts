/**
 * WS/T 500 entries decided by their data element (data-elements.ts): diagnoses, measurements,
 * herbal prescriptions, and the organizers that hold one fact's parts side by side (a diagnosis,
 * a 检验 item, a 医嘱 item). What is no fact of its own is handed back to the caller's walk.
 */
import type { CodeableConcept, Observation } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { fhirUnit } from '../../units/index.ts';
import type { EntryContext } from '../cda-entries.ts';
import { OBSERVATION_CATEGORY, toObservation } from '../observation-mapping.ts';
import type { SectionKind } from '../section-kinds.ts';
import { attr, child, children, readCd, readPeriod, xsiType } from '../../xml/index.ts';
import { classifyDataElement, isDataElementCode, type DataElementClass } from './data-elements.ts';
import { isDiagnosisElement, readDiagnoses } from './diagnoses.ts';
import { readLabItem, type LabItem } from './lab-items.ts';
import { readHerbalPrescription, readOrderItem } from './medications.ts';

/** The caller's walk over entries, for what a WS/T 500 element holds but is not itself. */
export type VisitEntry = (el: Element, ctx: EntryContext) => void;

/** A WS/T 500 measurement (vital sign, lab value): its LOINC equivalent first, the unit its definition fixes when none is sent. */
function toMeasurement(
  el: Element,
  cls: Extract<DataElementClass, { kind: 'measurement' }>,
  ctx: EntryContext,
  item?: LabItem,
): Observation | undefined {
  const valueEl = child(el, 'value');
  if (!valueEl) return undefined;
  const type = xsiType(valueEl);
  if (cls.numericOnly && type !== 'PQ' && type !== 'REAL' && type !== 'INT') return undefined;
  const own = readCd(child(el, 'code'));
  const base: CodeableConcept = cls.loinc ? { ...own, coding: [cls.loinc, ...(own?.coding ?? [])] } : (own ?? {});
  // In a 检验 organizer the item names the result; the data element's own code stays beside it.
  const code: CodeableConcept = item?.code ? { ...item.code, coding: [...(item.code.coding ?? []), ...(base.coding ?? [])] } : base;
  const kind: SectionKind = cls.category === 'vital-signs' ? 'vitals' : cls.category === 'laboratory' ? 'results' : ctx.kind;
  const observation = toObservation(el, valueEl, code, { ...ctx, kind });
  if (observation && item?.flag && !observation.interpretation) observation.interpretation = [item.flag];
  if (observation && item?.effectiveTime && !child(el, 'effectiveTime')) {
    const at = readPeriod(item.effectiveTime, ctx.read)?.start;
    if (at) observation.effectiveDateTime = at;
  }
  if (observation && cls.category === 'exam') observation.category = [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'exam' }] }];
  const q = observation?.valueQuantity;
  const defined = observation && q && !q.unit && cls.ucum ? fhirUnit(cls.ucum) : undefined;
  if (observation && q && defined) observation.valueQuantity = { ...q, ...defined };
  return observation;
}

/**
 * A WS/T 500 data-element entry, decided by its identifier (wst500/data-elements.ts): diagnoses,
 * measurements and herbal prescriptions become resources; findings, administrative items and
 * attributes read with their parent entry stay in the narrative.
 */
export function visitDataElement(el: Element, code: string, ctx: EntryContext, visitEntryNode: VisitEntry): void {
  const cls = classifyDataElement(code);
  switch (cls.kind) {
    case 'diagnosis-name':
    case 'diagnosis-code':
      for (const { condition, from } of readDiagnoses([el], ctx)) ctx.emit(condition, from);
      return;
    case 'measurement': {
      const observation = toMeasurement(el, cls, ctx);
      if (observation) ctx.emit(observation, el);
      return;
    }
    case 'drug': {
      const herbal = cls.attribute === 'herbal-prescription' ? readHerbalPrescription(el, ctx) : undefined;
      if (herbal) ctx.emit(herbal, el);
      return;
    }
    default:
      // Not a fact itself; what it holds may be (a diagnosis under a flag, a result under a panel).
      for (const rel of children(el, 'entryRelationship')) for (const inner of children(rel)) visitEntryNode(inner, ctx);
  }
}

/**
 * WS/T 500 organizers that group one fact's parts side by side: a diagnosis (name, code, rank) or
 * a 住院医嘱 item (type, content). True when the organizer was read here.
 */
export function visitWst500Organizer(el: Element, ctx: EntryContext, visitEntryNode: VisitEntry): boolean {
  const inner = children(el, 'component').flatMap((c) => children(c));
  if (inner.some(isDiagnosisElement)) {
    for (const { condition, from } of readDiagnoses(inner, ctx)) ctx.emit(condition, from);
    for (const other of inner) if (!isDiagnosisElement(other)) visitEntryNode(other, ctx);
    return true;
  }
  const item = readLabItem(inner);
  if (item) {
    for (const component of inner) {
      const de = attr(child(component, 'code'), 'code');
      const cls = de && isDataElementCode(attr(child(component, 'code'), 'codeSystem')) ? classifyDataElement(de) : undefined;
      if (!cls) {
        // A result coded in LOINC or a local code beside the item: read as any other entry.
        visitEntryNode(component, ctx);
        continue;
      }
      const observation = cls.kind === 'measurement' ? toMeasurement(component, cls, ctx, item) : undefined;
      if (observation) ctx.emit(observation, component);
    }
    return true;
  }
  const order = readOrderItem(inner, ctx);
  if (order) {
    ctx.emit(order.request, order.from);
    return true;
  }
  return false;
}
