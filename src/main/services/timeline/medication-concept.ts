import type { CodeableConcept, Reference, Resource } from '@medplum/fhirtypes';

interface MedicationHolder {
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
  contained?: Resource[];
}

/**
 * The drug of a MedicationRequest/Statement/Administration: its concept, else the contained
 * Medication's code ("#med1"). A reference to a Medication elsewhere is resolved by the timeline
 * build, which holds the source's other records (`referencedMedication`).
 */
export function medicationConcept(resource: MedicationHolder): CodeableConcept | undefined {
  if (resource.medicationCodeableConcept) return resource.medicationCodeableConcept;
  const reference = resource.medicationReference?.reference;
  if (!reference?.startsWith('#')) return undefined;
  const id = reference.slice(1);
  const contained = resource.contained?.find((r) => r.resourceType === 'Medication' && r.id === id);
  return (contained as { code?: CodeableConcept } | undefined)?.code;
}

/** "Medication/123" when the drug is a reference to be resolved among the source's records. */
export function referencedMedication(resource: MedicationHolder): string | undefined {
  if (resource.medicationCodeableConcept) return undefined;
  const reference = resource.medicationReference?.reference;
  return reference && !reference.startsWith('#') ? reference : undefined;
}
