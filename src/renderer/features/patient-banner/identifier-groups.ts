import type { PatientIdentifier } from '../../../shared/domain/patient.ts';

export interface IdentifierGroups {
  /** Identifiers a clinician reads: of a known type (病案号, 居民身份证…), with a label the system gave them, or named by their system. */
  readable: PatientIdentifier[];
  /** Identifiers known only by a naming-system URI (an OID, a urn): for whoever checks a link, behind "details". */
  technical: PatientIdentifier[];
}

export function groupIdentifiers(identifiers: readonly PatientIdentifier[]): IdentifierGroups {
  const groups: IdentifierGroups = { readable: [], technical: [] };
  for (const id of identifiers) (id.typeCode || id.label || !id.system ? groups.readable : groups.technical).push(id);
  return groups;
}
