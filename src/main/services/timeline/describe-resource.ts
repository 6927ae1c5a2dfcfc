import type { CodeableConcept, Quantity, Resource } from '@medplum/fhirtypes';
import type { TimelineCoding, TimelineKind } from '../../../shared/domain/timeline.ts';
import { timelineCodings } from './interned-codings.ts';

export interface ResourceDescription {
  kind: TimelineKind;
  title: string;
  summary?: string;
  codes: TimelineCoding[];
  status?: string;
  abnormal?: boolean;
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

function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  return concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code;
}

function codingsOf(concept: CodeableConcept | undefined): TimelineCoding[] {
  return timelineCodings(concept?.coding);
}

/**
 * A result's text, e.g. "5.6 mmol/L". Remembered per unit and value: printing a fractional
 * number costs ~0.3 µs, and a chart repeats the same few hundred values of each analyte
 * across tens of thousands of results.
 */
const quantityTexts = new Map<string, Map<number | undefined, string>>();
const TEXTS_PER_UNIT = 4_096;

function formatQuantity(q: Quantity): string {
  const unit = q.unit ?? q.code ?? '';
  if (q.comparator) return quantityText(q.comparator, q.value, unit);
  let byValue = quantityTexts.get(unit);
  if (!byValue) quantityTexts.set(unit, (byValue = new Map()));
  let text = byValue.get(q.value);
  if (text === undefined) {
    if (byValue.size >= TEXTS_PER_UNIT) byValue.clear();
    text = quantityText('', q.value, unit);
    byValue.set(q.value, text);
  }
  return text;
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
  vaccineCode?: CodeableConcept;
  description?: string;
  criticality?: string;
  reaction?: { manifestation?: CodeableConcept[] }[];
  serviceType?: CodeableConcept;
  conclusion?: string;
  dosageInstruction?: { text?: string }[];
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
      const value = r.valueQuantity
        ? formatQuantity(r.valueQuantity)
        : (r.valueString ?? conceptText(r.valueCodeableConcept));
      return {
        kind,
        title: conceptText(r.code) ?? 'Observation',
        summary: value,
        codes: codingsOf(r.code),
        status,
        abnormal: isAbnormal(r.interpretation),
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
      const reactions = (r.reaction ?? []).flatMap((x) => x.manifestation ?? []).map(conceptText).filter(Boolean);
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
      return {
        kind,
        title: conceptText(r.medicationCodeableConcept) ?? 'Medication',
        summary: r.dosageInstruction?.[0]?.text,
        codes: codingsOf(r.medicationCodeableConcept),
        status,
      };
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
