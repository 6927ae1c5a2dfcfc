import type { CodeableConcept, Observation, Quantity, Reference, Resource } from '@medplum/fhirtypes';
import type { ObservationValue } from '../../../shared/domain/observation-value.ts';
import type { TimelineCoding, TimelineKind } from '../../../shared/domain/timeline.ts';
import { timelineCodings } from './interned-codings.ts';
import { BoundedMemo } from '../../../shared/lib/bounded-memo.ts';
import { conceptText } from './concept-text.ts';
import { medicationConcept } from './medication-concept.ts';
import { observationValueOf, valueSummary } from './observation-value.ts';

export interface ResourceDescription {
  kind: TimelineKind;
  title: string;
  summary?: string;
  codes: TimelineCoding[];
  status?: string;
  abnormal?: boolean;
  /** An Observation's value other than a plain quantity, as data (src/shared/domain/observation-value.ts). */
  value?: ObservationValue;
}

const KIND_BY_TYPE: Record<string, TimelineKind> = {
  Encounter: 'encounter',
  Condition: 'condition',
  Observation: 'observation',
  DiagnosticReport: 'report',
  MedicationRequest: 'medication',
  MedicationStatement: 'medication',
  MedicationAdministration: 'medication',
  AllergyIntolerance: 'allergy',
  Procedure: 'procedure',
  Immunization: 'immunization',
  ImagingStudy: 'imaging',
  DocumentReference: 'document',
  Composition: 'document',
};

/** Interpretation codes (v3 ObservationInterpretation) that mean "outside the reference range". */
const ABNORMAL_FLAGS = new Set(['A', 'AA', 'H', 'HH', 'HU', 'L', 'LL', 'LU', '>', '<', 'POS', 'R', 'W', 'IND']);

function codingsOf(concept: CodeableConcept | undefined): TimelineCoding[] {
  return timelineCodings(concept?.coding);
}

/**
 * A result's text, e.g. "5.6 mmol/L". Remembered per unit and value: printing a fractional
 * number costs ~0.3 µs, and a chart repeats the same few hundred values of each analyte
 * across tens of thousands of results.
 */
interface UnitTexts {
  memo: BoundedMemo<number | undefined, string>;
  /** Prints a value in this unit, made once per unit (no closure per result). */
  print: (value: number | undefined) => string;
}

const quantityTexts = new Map<string, UnitTexts>();

function formatQuantity(q: Quantity): string {
  const unit = q.unit ?? q.code ?? '';
  if (q.comparator) return quantityText(q.comparator, q.value, unit);
  let texts = quantityTexts.get(unit);
  if (!texts) quantityTexts.set(unit, (texts = { memo: new BoundedMemo(4_096), print: (value) => quantityText('', value, unit) }));
  return texts.memo.get(q.value, texts.print);
}

function quantityText(comparator: string, value: number | undefined, unit: string): string {
  return `${comparator}${value ?? ''}${unit ? ` ${unit}` : ''}`.trim();
}

function isAbnormal(interpretation: CodeableConcept[] | undefined): boolean | undefined {
  if (!interpretation || interpretation.length === 0) return undefined;
  return interpretation.some((i) => (i.coding ?? []).some((c) => c.code !== undefined && ABNORMAL_FLAGS.has(c.code)));
}

interface Describable {
  code?: CodeableConcept;
  type?: CodeableConcept[] | CodeableConcept;
  class?: { code?: string; display?: string };
  status?: string;
  clinicalStatus?: CodeableConcept;
  valueQuantity?: Quantity;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  interpretation?: CodeableConcept[];
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
  component?: unknown[];
  vaccineCode?: CodeableConcept;
  description?: string;
  criticality?: string;
  reaction?: { manifestation?: CodeableConcept[] }[];
  serviceType?: CodeableConcept;
  conclusion?: string;
  dosageInstruction?: { text?: string }[];
  /** MedicationStatement's dosage (a MedicationRequest's is dosageInstruction). */
  dosage?: { text?: string }[];
  modality?: { code?: string }[];
  numberOfInstances?: number;
}

function firstConcept(value: CodeableConcept[] | CodeableConcept | undefined): CodeableConcept | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A display-ready reading of one FHIR resource, in the vocabulary of the source's own codes. */
export function describeResource(resource: Resource): ResourceDescription {
  const r = resource as Describable;
  const kind = KIND_BY_TYPE[resource.resourceType] ?? 'other';
  const status = r.status ?? conceptText(r.clinicalStatus);

  switch (resource.resourceType) {
    case 'Observation': {
      // The common case — one quantity, no components — stays as it was: no object per result.
      if (r.valueQuantity && r.component === undefined) {
        return {
          kind,
          title: conceptText(r.code) ?? 'Observation',
          summary: formatQuantity(r.valueQuantity),
          codes: codingsOf(r.code),
          status,
          abnormal: isAbnormal(r.interpretation),
        };
      }
      const value = observationValueOf(resource as Observation);
      return {
        kind,
        title: conceptText(r.code) ?? 'Observation',
        summary: value ? valueSummary(value) : undefined,
        codes: codingsOf(r.code),
        status,
        abnormal: value?.type === 'components' && value.components.some((c) => c.abnormal) ? true : isAbnormal(r.interpretation),
        value,
      };
    }
    case 'Encounter': {
      const type = conceptText(firstConcept(r.type));
      const cls = r.class?.display ?? r.class?.code;
      return {
        kind,
        title: type ?? cls ?? 'Encounter',
        summary: [cls, conceptText(r.serviceType)].filter(Boolean).join(' · ') || undefined,
        codes: codingsOf(firstConcept(r.type)),
        status,
      };
    }
    case 'AllergyIntolerance': {
      const reactions = (r.reaction ?? [])
        .flatMap((x) => x.manifestation ?? [])
        .map(conceptText)
        .filter(Boolean);
      return {
        kind,
        title: conceptText(r.code) ?? 'Allergy',
        summary: [r.criticality, ...reactions].filter(Boolean).join(' · ') || undefined,
        codes: codingsOf(r.code),
        status,
      };
    }
    case 'MedicationRequest':
    case 'MedicationStatement':
    case 'MedicationAdministration': {
      const drug = medicationConcept(r);
      return {
        kind,
        // A bare reference keeps its own name until the build resolves it, so two unnamed drugs never merge as one.
        title: conceptText(drug) ?? r.medicationReference?.display ?? r.medicationReference?.reference ?? 'Medication',
        summary: (r.dosageInstruction ?? r.dosage)?.[0]?.text,
        codes: codingsOf(drug),
        status,
      };
    }
    case 'Immunization':
      return { kind, title: conceptText(r.vaccineCode) ?? 'Immunization', codes: codingsOf(r.vaccineCode), status };
    case 'DiagnosticReport':
      return { kind, title: conceptText(r.code) ?? 'Report', summary: r.conclusion, codes: codingsOf(r.code), status };
    case 'ImagingStudy':
      return {
        kind,
        title: r.description ?? 'Imaging study',
        summary:
          [r.modality?.map((m) => m.code).join('/'), r.numberOfInstances ? `${r.numberOfInstances} images` : undefined]
            .filter(Boolean)
            .join(' · ') || undefined,
        codes: [],
        status,
      };
    case 'DocumentReference':
      return {
        kind,
        title: r.description ?? conceptText(firstConcept(r.type)) ?? 'Document',
        codes: codingsOf(firstConcept(r.type)),
        status,
      };
    default:
      return { kind, title: conceptText(r.code) ?? resource.resourceType, codes: codingsOf(r.code), status };
  }
}
