/** Code systems a receiver can interpret without the sender's local table. */
const STANDARD_SYSTEM =
  /loinc|snomed|icd-?10|icd-?9|icd-?11|\/sid\/icd|unitsofmeasure|rxnorm|atc|cvx|dicom\.nema|terminology\.hl7\.org|hl7\.org\/fhir/i;

/** A record repeats a handful of system URIs: each is tested once. */
const answers = new Map<string, boolean>();

export function isStandardSystem(system: string | undefined): boolean {
  if (system === undefined) return false;
  let standard = answers.get(system);
  if (standard === undefined) {
    standard = STANDARD_SYSTEM.test(system);
    if (answers.size > 10_000) answers.clear();
    answers.set(system, standard);
  }
  return standard;
}
