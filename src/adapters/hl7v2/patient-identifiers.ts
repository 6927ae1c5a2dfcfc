import type { Identifier, Patient } from '@medplum/fhirtypes';

/** The id a PIX query asks about: the patient's own id, with its assigning authority when known. */
export function ownIdentifierOf(patient: Patient): { value: string; authority?: string } | undefined {
  const value = patient.id;
  if (!value) return undefined;
  const match = patient.identifier?.find((i) => i.value === value);
  const authority = match?.assigner?.display;
  return { value, ...(authority ? { authority } : {}) };
}

/** Adds the identifiers a PIX manager returned that the patient does not carry yet. */
export function mergeIdentifiers(patient: Patient, extra: Identifier[]): void {
  const known = new Set((patient.identifier ?? []).map((i) => `${i.system ?? ''}|${i.value ?? ''}`));
  for (const id of extra) {
    const key = `${id.system ?? ''}|${id.value ?? ''}`;
    if (known.has(key)) continue;
    known.add(key);
    patient.identifier = [...(patient.identifier ?? []), id];
  }
}
