import type { CodeableConcept } from '@medplum/fhirtypes';

/** A concept in words: its text, else the first coding's display, else the first code. */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  return concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code;
}
