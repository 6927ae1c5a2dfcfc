/** The parts of a FHIR CodeableConcept the summary reads (resources reach the renderer as data). */
export interface Concept {
  text?: string;
  coding?: { system?: string; code?: string; display?: string }[];
}

/** A concept in words: its text, else a coding's display, else its first code. */
export function conceptWords(concept: Concept | undefined): string | undefined {
  if (!concept) return undefined;
  return concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code;
}
