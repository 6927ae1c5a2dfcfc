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

/**
 * Identifiers of one type side by side under one label (病案号 CDR-000001 · H1000001 · …): the
 * banner says "病案号" once rather than once per system. A label a system gave is its own words,
 * so it groups only with that system's; order is the order each type first appears.
 */
export function sameTypeRuns(identifiers: readonly PatientIdentifier[]): PatientIdentifier[][] {
  const runs = new Map<string, PatientIdentifier[]>();
  for (const id of identifiers) {
    const key = id.typeCode ? `type:${id.typeCode}` : id.label ? `label:${id.sourceId}:${id.label}` : `system:${id.system ?? id.sourceId}`;
    const run = runs.get(key);
    if (run) run.push(id);
    else runs.set(key, [id]);
  }
  return [...runs.values()];
}
