/**
 * Coded CDA entries → FHIR resources: result and vital-sign observations → Observation,
 * problem and diagnosis observations → Condition, substance administrations →
 * MedicationStatement (MedicationRequest for WS/T 500 prescriptions and orders; wst500/medications.ts),
 * allergy observations → AllergyIntolerance. WS/T 500 data-element entries are decided by their
 * identifier (wst500/data-elements.ts). C-CDA templates are honoured
 * where present; where absent (older CCDs, WS/T 500 documents) the section kind and the value's
 * data type decide. Descriptive WS/T 500 data elements (ST values coded from the 卫生信息数据元目录)
 * stay in the narrative: they are text, not facts a timeline can order or trend.
 */
import type { AllergyIntolerance, CodeableConcept, Condition, Encounter, Patient, Reference, Resource } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import type { SectionKind } from './section-kinds.ts';
import { attr, child, children, descend, isIcd10System, pathOf, type ReadContext, textOf, xsiType } from '../xml/index.ts';
import { conceptWithNarrative, textWithNarrative, type NarrativeLookup } from './narrative-references.ts';
import { effectiveOf, toObservation } from './observation-mapping.ts';
import { isImmunizationActivity, readImmunization } from './immunizations.ts';
import { isProcedureEntry, readProcedure } from './procedures.ts';
import { medicationReasons } from './medication-reasons.ts';
import { negatedAllergy } from './no-known-allergy.ts';
import {
  diagnosisRoles,
  isDataElementCode,
  medicationMood,
  readSubstanceAdministration,
  roleCategory,
  visitDataElement,
  visitWst500Organizer,
} from './wst500/index.ts';

const T = {
  problemObservation: '2.16.840.1.113883.10.20.22.4.4',
  allergyObservation: '2.16.840.1.113883.10.20.22.4.7',
  reactionObservation: '2.16.840.1.113883.10.20.22.4.9',
  severityObservation: '2.16.840.1.113883.10.20.22.4.8',
  vitalSignsOrganizer: '2.16.840.1.113883.10.20.22.4.26',
  resultOrganizer: '2.16.840.1.113883.10.20.22.4.1',
  familyHistoryOrganizer: '2.16.840.1.113883.10.20.22.4.45',
} as const;

export interface EntryContext {
  kind: SectionKind;
  /** 'wst500' documents are read by their data elements (wst500/); others by templates and section kinds. */
  flavour?: 'wst500' | 'ccda' | 'cda';
  /** The document type code (WS/T 500: C0001 … C0053). */
  documentCode?: string;
  /** The enclosing section's LOINC code and title. */
  section?: { loinc?: string; title?: string; templateIds?: readonly string[] };
  subject: Reference<Patient>;
  encounter?: Reference<Encounter>;
  /** Document time: the fallback for entries without a time of their own. */
  documentTime: string;
  read: ReadContext;
  /** Text of a narrative element by reference ("#MED1"), for codes whose name is only there. */
  narrative?: NarrativeLookup;
  /** Deterministic id for the resource made from this element. */
  idFor(el: Element): string;
  /** Receives each resource with the element it came from (for provenance). */
  emit(resource: Resource, from: Element): void;
}

function templates(el: Element): Set<string> {
  return new Set(
    children(el, 'templateId')
      .map((t) => attr(t, 'root'))
      .filter((r): r is string => !!r),
  );
}

function toCondition(el: Element, concept: CodeableConcept, ctx: EntryContext): Condition {
  const period = effectiveOf(el, ctx);
  const negated = attr(el, 'negationInd') === 'true';
  const resolved = period?.end !== undefined;
  // The section says which diagnosis this is (admission, discharge, pre-/post-operative).
  const roles = diagnosisRoles({
    labels: [],
    ...(ctx.section?.loinc ? { sectionLoinc: ctx.section.loinc } : {}),
    ...(ctx.section?.title ? { sectionTitle: ctx.section.title } : {}),
    ...(ctx.section?.templateIds ? { sectionTemplates: ctx.section.templateIds } : {}),
  });
  return {
    resourceType: 'Condition',
    id: ctx.idFor(el),
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: resolved ? 'resolved' : 'active' }],
    },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: negated ? 'refuted' : 'confirmed' }],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: ctx.kind === 'problems' ? 'problem-list-item' : 'encounter-diagnosis',
          },
        ],
      },
      ...roles.map(roleCategory),
    ],
    code: concept,
    subject: ctx.subject,
    ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
    ...(period?.start ? { onsetDateTime: period.start } : {}),
    ...(period?.end ? { abatementDateTime: period.end } : {}),
    recordedDate: ctx.documentTime,
  };
}

const ALLERGY_CATEGORY: Readonly<Record<string, AllergyIntolerance['category']>> = {
  '416098002': ['medication'],
  '59037007': ['medication'],
  '419511003': ['medication'],
  '414285001': ['food'],
  '235719002': ['food'],
  '418471000': ['food'],
  '426232007': ['environment'],
};
const INTOLERANCE_CODES = new Set(['59037007', '235719002', '418038007', '420134006']);

/** A coded value that is all nullFlavor: the entry's own <text> (often a narrative reference) still names it. */
function narrativeOnly(el: Element, ctx: EntryContext): CodeableConcept | undefined {
  const text = textWithNarrative(child(el, 'text'), ctx.narrative);
  return text ? { text } : undefined;
}

function toAllergy(el: Element, ctx: EntryContext): AllergyIntolerance | undefined {
  const negated = attr(el, 'negationInd') === 'true';
  const substanceCode = descend(el, 'participant', 'participantRole', 'playingEntity', 'code');
  const substance =
    conceptWithNarrative(substanceCode, ctx.narrative) ??
    (textOf(descend(el, 'participant', 'participantRole', 'playingEntity', 'name'))
      ? { text: textOf(descend(el, 'participant', 'participantRole', 'playingEntity', 'name')) ?? '' }
      : undefined);
  const valueEl = child(el, 'value');
  const allergyType = attr(valueEl, 'code');
  const stated = negated ? negatedAllergy({ substance, allergyType }) : undefined;
  const code = stated?.code ?? substance ?? conceptWithNarrative(valueEl, ctx.narrative);
  if (!code) return undefined;
  const reactions = children(el, 'entryRelationship')
    .map((r) => child(r, 'observation'))
    .filter((o): o is Element => !!o && (templates(o).has(T.reactionObservation) || attr(child(o, 'code'), 'code') === 'ASSERTION'))
    .map((o) => conceptWithNarrative(child(o, 'value'), ctx.narrative))
    .filter((c): c is CodeableConcept => !!c);
  const period = effectiveOf(el, ctx);
  const category = allergyType ? ALLERGY_CATEGORY[allergyType] : undefined;
  return {
    resourceType: 'AllergyIntolerance',
    id: ctx.idFor(el),
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: period?.end ? 'resolved' : 'active' }],
    },
    verificationStatus: stated?.verificationStatus ?? {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }],
    },
    ...(allergyType && INTOLERANCE_CODES.has(allergyType) ? { type: 'intolerance' as const } : { type: 'allergy' as const }),
    ...(category ? { category } : {}),
    code,
    patient: ctx.subject,
    ...(period?.start ? { onsetDateTime: period.start } : {}),
    recordedDate: ctx.documentTime,
    ...(reactions.length > 0 ? { reaction: [{ manifestation: reactions }] } : {}),
  };
}

/**
 * C-CDA observations that qualify their parent rather than stand alone: problem and health status,
 * age at onset, severity, reaction, criticality, priority. Not read as facts of their own.
 */
const ATTRIBUTE_TEMPLATES: ReadonlySet<string> = new Set([
  '2.16.840.1.113883.10.20.22.4.5', // health status
  '2.16.840.1.113883.10.20.22.4.6', // problem status
  '2.16.840.1.113883.10.20.22.4.28', // allergy status
  '2.16.840.1.113883.10.20.22.4.31', // age observation
  T.severityObservation,
  T.reactionObservation,
  '2.16.840.1.113883.10.20.22.4.145', // criticality
  '2.16.840.1.113883.10.20.22.4.143', // priority preference
]);

function isMeasurement(el: Element): boolean {
  const value = child(el, 'value');
  const type = value ? xsiType(value) : undefined;
  return type === 'PQ' || type === 'REAL' || type === 'INT';
}

function isAttributeObservation(el: Element): boolean {
  for (const t of templates(el)) if (ATTRIBUTE_TEMPLATES.has(t)) return true;
  return false;
}

function visitObservation(el: Element, ctx: EntryContext): void {
  if (isAttributeObservation(el)) return;
  const t = templates(el);
  const valueEl = child(el, 'value');
  if (isProcedureEntry(el)) {
    const procedure = readProcedure(el, ctx);
    if (procedure) ctx.emit(procedure, el);
    // A procedure observation (ECG, EEG, imaging) carries what it found in its value: a result of its own.
    const code = valueEl ? conceptWithNarrative(child(el, 'code'), ctx.narrative) : undefined;
    const found = code && valueEl ? toObservation(el, valueEl, code, { ...ctx, idFor: () => ctx.idFor(valueEl) }) : undefined;
    if (found) {
      if (procedure) found.partOf = [{ reference: `Procedure/${procedure.id ?? ''}` }];
      ctx.emit(found, valueEl!);
    }
    return;
  }
  const valueType = valueEl ? xsiType(valueEl) : undefined;
  const codeEl = child(el, 'code');
  const codeSystem = attr(codeEl, 'codeSystem');
  const dataElement = attr(codeEl, 'code');
  if (dataElement && isDataElementCode(codeSystem)) {
    visitDataElement(el, dataElement, ctx, visitEntryNode);
    return;
  }

  if (t.has(T.allergyObservation) || (ctx.kind === 'allergies' && descend(el, 'participant', 'participantRole', 'playingEntity'))) {
    const allergy = toAllergy(el, ctx);
    if (allergy) ctx.emit(allergy, el);
    return;
  }
  const codedValue =
    valueEl && (valueType === 'CD' || valueType === 'CE' || valueType === 'CV')
      ? (conceptWithNarrative(valueEl, ctx.narrative) ?? narrativeOnly(el, ctx))
      : undefined;
  const isDiagnosis =
    t.has(T.problemObservation) ||
    ((ctx.kind === 'problems' || ctx.kind === 'diagnoses') && codedValue !== undefined) ||
    (codedValue !== undefined && isIcd10System(attr(valueEl, 'codeSystem')));
  if (isDiagnosis) {
    if (codedValue) ctx.emit(toCondition(el, codedValue, ctx), el);
    else ctx.read.onProblem(pathOf(el), 'problem observation without a coded value; left in the narrative');
    return;
  }
  const code = conceptWithNarrative(codeEl, ctx.narrative);
  const observation = code && valueEl ? toObservation(el, valueEl, code, ctx) : undefined;
  if (observation) ctx.emit(observation, el);
  // Measurements a finding holds (a nodule's size, a wound's width) are facts of their own; its
  // other nested observations qualify it (priority, cause, a relative's death) and are not.
  for (const rel of children(el, 'entryRelationship')) {
    for (const inner of children(rel, 'observation'))
      if (!isAttributeObservation(inner) && isMeasurement(inner)) visitObservation(inner, ctx);
  }
}

/** Walks one entry (or a nested act/organizer) and emits what it can map. */
export function visitEntryNode(el: Element, ctx: EntryContext): void {
  switch (el.localName) {
    case 'observation':
      // Some platforms write a 医嘱 item or a diagnosis group as <observation classCode="CLUSTER">
      // holding <component>s, the shape of an organizer.
      if (ctx.flavour === 'wst500' && attr(el, 'classCode') === 'CLUSTER' && children(el, 'component').length > 0) {
        if (!visitWst500Organizer(el, ctx, visitEntryNode))
          for (const comp of children(el, 'component')) for (const inner of children(comp)) visitEntryNode(inner, ctx);
        return;
      }
      visitObservation(el, ctx);
      return;
    case 'substanceAdministration': {
      // Immunizations and procedures also use substanceAdministration: only medication contexts map.
      if (isImmunizationActivity(el)) {
        const immunization = readImmunization(el, ctx);
        if (immunization) ctx.emit(immunization, el);
        return;
      }
      // C-CDA medication activities are statements; WS/T 500 prescriptions and orders are requests.
      if (ctx.kind === 'medications' || ctx.kind === 'other') {
        const med = readSubstanceAdministration(el, ctx.flavour === 'wst500' ? medicationMood(ctx) : 'statement', ctx);
        if (med) {
          const reasons = medicationReasons(el, ctx.narrative);
          if (reasons.length > 0) med.reasonCode = reasons;
          ctx.emit(med, el);
        }
      }
      return;
    }
    case 'organizer': {
      if (ctx.flavour === 'wst500' && visitWst500Organizer(el, ctx, visitEntryNode)) return;
      const t = templates(el);
      // A relative's conditions are not the patient's: family history stays in the narrative.
      if (t.has(T.familyHistoryOrganizer)) return;
      const kind: SectionKind = t.has(T.vitalSignsOrganizer) ? 'vitals' : t.has(T.resultOrganizer) ? 'results' : ctx.kind;
      for (const comp of children(el, 'component')) for (const inner of children(comp)) visitEntryNode(inner, { ...ctx, kind });
      return;
    }
    default:
      if (isProcedureEntry(el)) {
        const procedure = readProcedure(el, ctx);
        if (procedure) ctx.emit(procedure, el);
      }
      // act (problem/allergy concern), encounter, procedure…: (further) coded content sits in
      // entryRelationship.
      for (const rel of children(el, 'entryRelationship')) for (const inner of children(rel)) visitEntryNode(inner, ctx);
  }
}
