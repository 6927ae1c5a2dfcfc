import type { Coding, Resource } from '@medplum/fhirtypes';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { reconcileKeys } from '../timeline/index.ts';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const ATC = 'http://www.whocc.no/atc';
/** A WHO ATC level-5 code, as the reconciliation keys carry it ("…|C09AA02|…"). */
const ATC_CODE = /^[A-Z]\d\d[A-Z]{2}\d\d$/;

function atcCodesOf(entry: TimelineEntry): string[] {
  const codes = new Set<string>();
  for (const key of reconcileKeys('medication', entry, false) ?? []) {
    for (const part of key.split('|')) if (ATC_CODE.test(part)) codes.add(part);
  }
  return [...codes];
}

/**
 * The resource a rule sees for an entry: a copy in the workstation's canonical terms, so one
 * rule covers every source's spelling. A result gains its canonical LOINC coding and its value
 * in the canonical UCUM unit (a potassium sent in mEq/L or a glucose in mg/dL is compared as
 * mmol/L); a drug gains the ATC code the drug list gives its code or name, and a drug named by
 * reference its resolved concept. Other resources are copied as they are.
 */
export function evaluationView(entry: TimelineEntry): Resource {
  const resource = entry.resource as Resource & Record<string, unknown>;
  if (resource.resourceType === 'Observation' && entry.lab?.loinc) {
    const lab = entry.lab;
    const code = (resource.code ?? {}) as { coding?: Coding[] };
    const view: Record<string, unknown> = {
      ...resource,
      code: { ...code, coding: [...(code.coding ?? []), { system: LOINC, code: lab.loinc }] },
    };
    if (lab.value !== undefined && lab.unit) view.valueQuantity = { value: lab.value, unit: lab.unit, system: UCUM, code: lab.unit };
    return view as unknown as Resource;
  }
  if (resource.resourceType === 'MedicationRequest' || resource.resourceType === 'MedicationStatement') {
    const atc = atcCodesOf(entry).map((code): Coding => ({ system: ATC, code }));
    const concept = (resource.medicationCodeableConcept ?? { text: entry.title, coding: entry.codes }) as { coding?: Coding[] };
    const { medicationReference: _reference, ...rest } = resource;
    return { ...rest, medicationCodeableConcept: { ...concept, coding: [...(concept.coding ?? []), ...atc] } } as unknown as Resource;
  }
  return { ...resource } as Resource;
}
