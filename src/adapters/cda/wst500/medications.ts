/**
 * WS/T 500 drugs → MedicationRequest (prescriptions and orders: 西药处方, 中药处方, 住院医嘱, 医嘱
 * sections) or MedicationStatement (用药 sections of summaries: 病历概要, 出院小结 …).
 *
 * A drug is a substanceAdministration whose consumable names it (manufacturedLabeledDrug or
 * manufacturedMaterial: code, name, or both) and whose dosage sits partly in CDA attributes
 * (doseQuantity, routeCode, effectiveTime) and partly in nested data-element observations
 * (药物使用频率, 药物使用剂量单位, 药物用法, 药物使用总剂量 …; see data-elements.ts). A 中药饮片处方
 * is one observation whose value is the whole herbal prescription, and a 住院医嘱 item is an
 * organizer of 医嘱项目类型 + 医嘱项目内容: both read here too.
 */
import type { CodeableConcept, Dosage, MedicationRequest, MedicationStatement, Quantity } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import type { EntryContext } from '../cda-entries.ts';
import { referencedText } from '../narrative-references.ts';
import { attr, child, children, descend, readCd, readPeriod, readPq, readTs, textOf } from '../../xml/index.ts';
import { fhirUnit } from '../../units/index.ts';
import { classifyDataElement, isDataElementCode, type DrugAttribute, type OrderAttribute } from './data-elements.ts';
import { drugTiming } from './drug-timing.ts';

export type MedicationMood = 'request' | 'statement';

/** Nested data-element observations of a drug, by attribute (first of each wins). */
function drugAttributes(el: Element): Map<DrugAttribute, Element> {
  const out = new Map<DrugAttribute, Element>();
  for (const rel of children(el, 'entryRelationship')) {
    for (const obs of children(rel, 'observation')) {
      const code = child(obs, 'code');
      const de = attr(code, 'code');
      if (!de || !isDataElementCode(attr(code, 'codeSystem'))) continue;
      const cls = classifyDataElement(de);
      if (cls.kind === 'drug' && !out.has(cls.attribute)) out.set(cls.attribute, obs);
    }
  }
  return out;
}

function valueText(obs: Element | undefined): string | undefined {
  const value = child(obs, 'value');
  return textOf(value) ?? attr(value, 'displayName') ?? attr(value, 'code');
}

function medicationConcept(el: Element, attrs: Map<DrugAttribute, Element>, ctx: EntryContext): CodeableConcept | undefined {
  const product = descend(el, 'consumable', 'manufacturedProduct');
  const drug = child(product, 'manufacturedLabeledDrug') ?? child(product, 'manufacturedMaterial');
  const coded = readCd(child(drug, 'code'));
  const name = textOf(child(drug, 'name')) ?? valueText(attrs.get('name')) ?? referencedText(child(drug, 'code'), ctx.narrative);
  if (!coded && !name) return undefined;
  return {
    ...(coded?.coding ? { coding: coded.coding } : {}),
    text: name ?? coded?.text ?? coded?.coding?.[0]?.display ?? coded?.coding?.[0]?.code ?? '',
  };
}

/** A unit sent apart (药物使用剂量单位), through the shared unit module: UCUM when known, else text. */
function withTextUnit(q: Quantity, unit: string | undefined): Quantity {
  const mapped = q.unit || !unit ? undefined : fhirUnit(unit);
  return mapped ? { ...q, ...mapped } : q;
}

function dose(el: Element, attrs: Map<DrugAttribute, Element>, ctx: EntryContext): Quantity | undefined {
  const doseEl = child(el, 'doseQuantity') ?? child(attrs.get('dose'), 'value');
  const q = doseEl ? readPq(doseEl, ctx.read) : undefined;
  return q ? withTextUnit(q, valueText(attrs.get('dose-unit'))) : undefined;
}

function route(el: Element, attrs: Map<DrugAttribute, Element>): CodeableConcept | undefined {
  return (
    readCd(child(el, 'routeCode')) ??
    readCd(child(attrs.get('route'), 'value')) ??
    (valueText(attrs.get('route')) ? { text: valueText(attrs.get('route')) ?? '' } : undefined)
  );
}

function quantityText(q: Quantity | undefined): string | undefined {
  return q?.value === undefined ? undefined : `${q.value}${q.unit ? ` ${q.unit}` : ''}`;
}

/** The dosage as the document words it (药物用法), else its parts joined: what the timeline shows. */
function dosageText(usage: string | undefined, parts: (string | undefined)[]): string | undefined {
  if (usage) return usage;
  const joined = parts.filter(Boolean).join(' ');
  return joined || undefined;
}

function requestStatus(el: Element): MedicationRequest['status'] {
  const s = attr(child(el, 'statusCode'), 'code');
  if (s === 'completed') return 'completed';
  if (s === 'active' || s === 'new') return 'active';
  if (s === 'aborted') return 'stopped';
  if (s === 'cancelled' || s === 'obsolete') return 'cancelled';
  if (s === 'suspended' || s === 'held') return 'on-hold';
  return 'unknown';
}

function statementStatus(el: Element): MedicationStatement['status'] {
  const s = attr(child(el, 'statusCode'), 'code');
  if (s === 'completed') return 'completed';
  if (s === 'active') return 'active';
  if (s === 'aborted' || s === 'cancelled') return 'stopped';
  if (s === 'suspended' || s === 'held') return 'on-hold';
  if (attr(el, 'moodCode') === 'INT') return 'intended';
  return 'unknown';
}

function authored(el: Element, ctx: EntryContext): string {
  return readTs(descend(el, 'author', 'time'), ctx.read) ?? ctx.documentTime;
}

function build(
  el: Element,
  medication: CodeableConcept,
  dosage: Dosage | undefined,
  total: Quantity | undefined,
  mood: MedicationMood,
  ctx: EntryContext,
): MedicationRequest | MedicationStatement {
  if (mood === 'request') {
    return {
      resourceType: 'MedicationRequest',
      id: ctx.idFor(el),
      status: requestStatus(el),
      intent: 'order',
      medicationCodeableConcept: medication,
      subject: ctx.subject,
      ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
      authoredOn: authored(el, ctx),
      ...(dosage ? { dosageInstruction: [dosage] } : {}),
      ...(total ? { dispenseRequest: { quantity: total } } : {}),
    };
  }
  const bounds = dosage?.timing?.repeat?.boundsPeriod;
  return {
    resourceType: 'MedicationStatement',
    id: ctx.idFor(el),
    status: statementStatus(el),
    medicationCodeableConcept: medication,
    subject: ctx.subject,
    ...(ctx.encounter ? { context: ctx.encounter } : {}),
    ...(bounds?.start && bounds.end ? { effectivePeriod: bounds } : bounds?.start ? { effectiveDateTime: bounds.start } : {}),
    dateAsserted: ctx.documentTime,
    ...(dosage ? { dosage: [dosage] } : {}),
  };
}

/** One substanceAdministration (a drug of a prescription, an order or a medication history). */
export function readSubstanceAdministration(
  el: Element,
  mood: MedicationMood,
  ctx: EntryContext,
): MedicationRequest | MedicationStatement | undefined {
  const attrs = drugAttributes(el);
  const medication = medicationConcept(el, attrs, ctx);
  if (!medication) return undefined;
  const doseQ = dose(el, attrs, ctx);
  const routeC = route(el, attrs);
  const { timing: t, asNeeded } = drugTiming(el, attrs.get('frequency'), ctx);
  const usage = valueText(attrs.get('usage')) ?? textOf(child(el, 'text'));
  const totalEl = child(attrs.get('total-dose'), 'value');
  const total = totalEl ? readPq(totalEl, ctx.read) : undefined;
  const text = dosageText(usage, [
    quantityText(doseQ),
    routeC?.text ?? routeC?.coding?.[0]?.display,
    t?.code?.text ?? t?.code?.coding?.[0]?.display,
  ]);
  const hasDosage = doseQ || routeC || t || text || asNeeded;
  const dosage: Dosage | undefined = hasDosage
    ? {
        ...(text ? { text } : {}),
        ...(t ? { timing: t } : {}),
        ...(asNeeded ? { asNeededBoolean: true } : {}),
        ...(routeC ? { route: routeC } : {}),
        ...(doseQ ? { doseAndRate: [{ doseQuantity: doseQ }] } : {}),
      }
    : undefined;
  return build(el, medication, dosage, total ? withTextUnit(total, valueText(attrs.get('dose-unit'))) : undefined, mood, ctx);
}

/** A 中药饮片处方 observation: the herbs as text, with 剂数, 煎煮法 and 用药方法 nested. */
export function readHerbalPrescription(el: Element, ctx: EntryContext): MedicationRequest | undefined {
  const herbs = textOf(child(el, 'value'));
  if (!herbs) return undefined;
  const attrs = drugAttributes(el);
  const usage = valueText(attrs.get('usage'));
  const decoction = valueText(attrs.get('decoction'));
  const dosesEl = child(attrs.get('herbal-doses'), 'value');
  const doses = Number(attr(dosesEl, 'value'));
  const text = [usage, decoction].filter(Boolean).join('；');
  const request = build(
    el,
    { text: herbs },
    text
      ? { text, ...(usage ? { patientInstruction: usage } : {}), ...(decoction ? { additionalInstruction: [{ text: decoction }] } : {}) }
      : undefined,
    // 剂 (one decoction's worth of herbs) is no UCUM unit: text only.
    Number.isFinite(doses) && doses > 0 ? { value: doses, unit: '剂' } : undefined,
    'request',
    ctx,
  );
  return request.resourceType === 'MedicationRequest' ? request : undefined;
}

/** 医嘱项目类型代码表 (2.16.156.10011.2.3.1.268): platforms code drug orders 01 "药品类医嘱". */
const ORDER_ITEM_TYPES_OID = '2.16.156.10011.2.3.1.268';
const DRUG_ORDER_TYPE = '01';

function isDrugOrder(type: Element | undefined): boolean {
  const name = attr(type, 'displayName') ?? textOf(type);
  if (name) return name.includes('药');
  return attr(type, 'codeSystem') === ORDER_ITEM_TYPES_OID && attr(type, 'code') === DRUG_ORDER_TYPE;
}

/**
 * A 住院医嘱 item: an organizer holding 医嘱项目类型 and 医嘱项目内容. Only drug items (the type's
 * name says 药: 药品, 西药, 中成药, 中草药 …) become MedicationRequests; other orders (检查, 护理 …)
 * stay in the document.
 */
export function readOrderItem(
  observations: readonly Element[],
  ctx: EntryContext,
): { request: MedicationRequest; from: Element } | undefined {
  const byAttr = new Map<OrderAttribute, Element>();
  for (const obs of observations) {
    const de = attr(child(obs, 'code'), 'code');
    if (!de || !isDataElementCode(attr(child(obs, 'code'), 'codeSystem'))) continue;
    const cls = classifyDataElement(de);
    if (cls.kind === 'order' && !byAttr.has(cls.attribute)) byAttr.set(cls.attribute, obs);
  }
  const content = byAttr.get('content');
  const type = child(byAttr.get('item-type'), 'value');
  const text = textOf(child(content, 'value'));
  if (!content || !text || !isDrugOrder(type)) return undefined;
  const bounds = readPeriod(child(content, 'effectiveTime'), ctx.read);
  const request = build(
    content,
    { text },
    { text, ...(bounds ? { timing: { repeat: { boundsPeriod: bounds } } } : {}) },
    undefined,
    'request',
    ctx,
  );
  return request.resourceType === 'MedicationRequest' ? { request, from: content } : undefined;
}

/** WS/T 500 documents whose drugs are orders (document type codes, 2.16.156.10011.2.4). */
const ORDER_DOCUMENTS: ReadonlySet<string> = new Set([
  'C0004', // 西药处方
  'C0005', // 中药处方
  'C0052', // 住院医嘱
]);
/** Sections whose drugs are orders whatever the document: 46209-3 Provider orders (医嘱). */
const ORDER_SECTIONS: ReadonlySet<string> = new Set(['46209-3']);

/** Prescriptions and orders request; the 用药 sections of summaries state what was taken. */
export function medicationMood(ctx: Pick<EntryContext, 'documentCode' | 'section'>): MedicationMood {
  if (ctx.documentCode && ORDER_DOCUMENTS.has(ctx.documentCode)) return 'request';
  if (ctx.section?.loinc && ORDER_SECTIONS.has(ctx.section.loinc)) return 'request';
  return 'statement';
}
