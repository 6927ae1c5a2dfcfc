/** The resource types the demo CDR stores and searches: the patient compartment a clinician reads. */
export const CLINICAL_TYPES = [
  'Encounter',
  'Condition',
  'Observation',
  'DiagnosticReport',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Procedure',
  'Immunization',
  'ImagingStudy',
  'DocumentReference',
  'ServiceRequest',
  'CarePlan',
] as const;

/** Outside the patient compartment, but referenced from it (reached by _include and $everything); Group holds a ward's census. */
export const REFERENCED_TYPES = ['Medication', 'Practitioner', 'Organization', 'Location', 'Group'] as const;

export const SERVED_TYPES = ['Patient', ...CLINICAL_TYPES, ...REFERENCED_TYPES] as const;
export type ServedType = (typeof SERVED_TYPES)[number];

export function isServedType(value: string): value is ServedType {
  return (SERVED_TYPES as readonly string[]).includes(value);
}
