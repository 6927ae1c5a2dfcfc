/** Code systems a receiver can interpret without the sender's local table. */
const STANDARD_SYSTEM = /loinc|snomed|icd-?10|icd-?9|icd-?11|\/sid\/icd|unitsofmeasure|rxnorm|atc|cvx|dicom\.nema|terminology\.hl7\.org|hl7\.org\/fhir/i;

export function isStandardSystem(system: string | undefined): boolean {
  return system !== undefined && STANDARD_SYSTEM.test(system);
}
