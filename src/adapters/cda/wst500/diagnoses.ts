/**
 * WS/T 500 diagnoses → Condition. A diagnosis is written as a name element (DE05.01.025.00, or
 * DE05.10.172.00 for 中医病名/证候) and a code element (DE05.01.024.00 ICD-10, DE05.10.130.00
 * GB/T 15657), either nested (the name's entryRelationship holds the code) or side by side in an
 * organizer, or as a code alone whose displayName is the name. A group is read in document order:
 * a name opens a diagnosis, the next code of the same scheme completes it, a code with no open
 * name is a diagnosis of its own; 诊断顺位 (DE05.01.080.00) ranks the group's diagnoses.
 */
import type { CodeableConcept, Coding, Condition } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import type { EntryContext } from '../cda-entries.ts';
import { attr, child, children, descend, readCd, readPeriod, textOf, xsiType } from '../../xml/index.ts';
import { classifyDataElement, isDataElementCode } from './data-elements.ts';
import { diagnosisRoles, roleCategory, type DiagnosisRole } from './diagnosis-roles.ts';

/** ICD-10 as China codes it (GB/T 14396 疾病分类与代码): the base OID and its editions (….11.1, .11.3, .11.5 …). */
const CHINA_ICD10_OID = '2.16.156.10011.2.3.3.11';
export const CHINA_ICD10_SYSTEM = `urn:oid:${CHINA_ICD10_OID}`;
export const DIAGNOSIS_RANK_EXTENSION = 'https://huizhen.dev/fhir/StructureDefinition/diagnosis-rank';

interface Part {
  el: Element;
  kind: 'diagnosis-name' | 'diagnosis-code' | 'diagnosis-rank';
  scheme?: 'western' | 'tcm';
}

interface Draft {
  name?: Element;
  code?: Element;
  scheme: 'western' | 'tcm';
  /** Labels of the elements and of the observation that holds them: where the role is written. */
  labels: string[];
}

function labelsOf(el: Element): string[] {
  const code = child(el, 'code');
  return [attr(code, 'displayName'), attr(descend(code, 'qualifier', 'name'), 'displayName'), textOf(child(code, 'originalText'))].filter(
    (s): s is string => !!s,
  );
}

function partOf(el: Element): Part | undefined {
  if (el.localName !== 'observation') return undefined;
  const code = child(el, 'code');
  const de = attr(code, 'code');
  if (!de || !isDataElementCode(attr(code, 'codeSystem'))) return undefined;
  const cls = classifyDataElement(de);
  if (cls.kind === 'diagnosis-name' || cls.kind === 'diagnosis-code') return { el, kind: cls.kind, scheme: cls.scheme };
  if (cls.kind === 'diagnosis-rank') return { el, kind: cls.kind };
  return undefined;
}

/** True when this observation is a diagnosis element (the entry visitor hands such entries here). */
export function isDiagnosisElement(el: Element): boolean {
  const p = partOf(el);
  return p !== undefined && p.kind !== 'diagnosis-rank';
}

/** The group's parts in document order: each observation, then what its entryRelationships hold. */
function collect(el: Element, out: Part[]): void {
  const p = partOf(el);
  if (p) out.push(p);
  for (const rel of children(el, 'entryRelationship')) for (const inner of children(rel, 'observation')) collect(inner, out);
}

function coding(valueEl: Element, name: string | undefined): Coding[] {
  const cc = readCd(valueEl);
  return (cc?.coding ?? []).map((c) => {
    const oid = attr(valueEl, 'codeSystem');
    // China's ICD-10 editions share one system; the edition OID is kept as the version.
    const china = oid === CHINA_ICD10_OID || oid?.startsWith(`${CHINA_ICD10_OID}.`);
    const display = c.display ?? name;
    return {
      ...(china
        ? { system: CHINA_ICD10_SYSTEM, ...(oid !== CHINA_ICD10_OID ? { version: oid } : {}) }
        : c.system
          ? { system: c.system }
          : {}),
      code: c.code,
      ...(display ? { display } : {}),
    } as Coding;
  });
}

function codedValue(value: Element | undefined): Element | undefined {
  const type = value ? xsiType(value) : undefined;
  return value && (type === 'CD' || type === 'CE' || type === 'CV') && attr(value, 'code') ? value : undefined;
}

/** The diagnosis's text: the name element's value, else the code's displayName/originalText or the CD's own text. */
function nameOf(draft: Draft): string | undefined {
  const nameValue = child(draft.name, 'value');
  const fromName = textOf(nameValue) ?? readCd(nameValue)?.text;
  if (fromName) return fromName;
  const value = child(draft.code, 'value');
  return readCd(value)?.text ?? textOf(value);
}

function toCondition(draft: Draft, rank: number | undefined, ctx: EntryContext): Condition | undefined {
  const name = nameOf(draft);
  // Some platforms send the name element itself as a coded value (CD with code and displayName).
  const valueEl = child(draft.code, 'value') ?? codedValue(child(draft.name, 'value'));
  const codings = valueEl ? coding(valueEl, name) : [];
  if (codings.length === 0 && !name) return undefined;
  const concept: CodeableConcept = { ...(codings.length > 0 ? { coding: codings } : {}), ...(name ? { text: name } : {}) };
  const roles: DiagnosisRole[] = diagnosisRoles({
    labels: draft.labels,
    ...(ctx.section?.loinc ? { sectionLoinc: ctx.section.loinc } : {}),
    ...(ctx.section?.title ? { sectionTitle: ctx.section.title } : {}),
    ...(ctx.documentCode ? { documentCode: ctx.documentCode } : {}),
  });
  const first = draft.name ?? draft.code;
  if (!first) return undefined;
  const when =
    readPeriod(child(draft.name, 'effectiveTime'), ctx.read)?.start ?? readPeriod(child(draft.code, 'effectiveTime'), ctx.read)?.start;
  const negated = attr(first, 'negationInd') === 'true';
  return {
    resourceType: 'Condition',
    id: ctx.idFor(first),
    ...(rank !== undefined ? { extension: [{ url: DIAGNOSIS_RANK_EXTENSION, valuePositiveInt: rank }] } : {}),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
          code: negated ? 'refuted' : roles.includes('preliminary') ? 'provisional' : 'confirmed',
        },
      ],
    },
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] },
      ...roles.map(roleCategory),
    ],
    code: concept,
    subject: ctx.subject,
    ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
    recordedDate: when ?? ctx.documentTime,
  };
}

/**
 * The Conditions one group of diagnosis elements gives, each with the element it came from.
 * `roots` are the group's top elements in order (one observation, or an organizer's components).
 */
export function readDiagnoses(roots: readonly Element[], ctx: EntryContext): { condition: Condition; from: Element }[] {
  const parts: Part[] = [];
  for (const r of roots) collect(r, parts);
  const outer = roots.length === 1 && roots[0] ? labelsOf(roots[0]) : [];
  const drafts: Draft[] = [];
  let rank: number | undefined;
  let open: Draft | undefined;
  for (const p of parts) {
    if (p.kind === 'diagnosis-rank') {
      const v = Number(attr(child(p.el, 'value'), 'value'));
      if (Number.isInteger(v) && v > 0) rank = v;
      continue;
    }
    const scheme = p.scheme ?? 'western';
    if (p.kind === 'diagnosis-code' && open && !open.code && open.scheme === scheme) {
      open.code = p.el;
      open.labels.push(...labelsOf(p.el));
      continue;
    }
    open = { scheme, labels: [...labelsOf(p.el), ...outer], ...(p.kind === 'diagnosis-name' ? { name: p.el } : { code: p.el }) };
    drafts.push(open);
  }
  const out: { condition: Condition; from: Element }[] = [];
  for (const d of drafts) {
    const condition = toCondition(d, rank, ctx);
    const from = d.name ?? d.code;
    if (condition && from) out.push({ condition, from });
  }
  return out;
}
