import type { AccessBasis } from '../../../shared/api/session.ts';
import type { Encounter, Resource } from '../../../shared/domain/fhir.ts';
import type { User } from '../../../shared/domain/user.ts';

const DAY_MS = 86_400_000;

/** Ward codes in a location: its identifier, or tokens of its display (HL7 v2 PV1-3 "CARD-1 01 03"). */
function wardCodesOf(encounter: Encounter): string[] {
  return (encounter.location ?? []).flatMap(({ location }) => [
    ...(location.identifier?.value ? [location.identifier.value] : []),
    ...(location.display ?? '').split(/[\s^]+/).filter(Boolean),
  ]);
}

function attends(encounter: Encounter, practitionerId: string): boolean {
  return (encounter.participant ?? []).some(({ individual }) =>
    Boolean(individual && (individual.identifier?.value === practitionerId || individual.reference?.split('/').pop() === practitionerId)),
  );
}

/** In progress, or finished within the care window (a discharged patient's results still arrive). */
function withinWindow(encounter: Encounter, now: number, windowDays: number): boolean {
  if (encounter.status === 'in-progress' || encounter.status === 'arrived' || encounter.status === 'onleave') return true;
  const end = Date.parse(encounter.period?.end ?? encounter.period?.start ?? '');
  if (!Number.isFinite(end)) return encounter.status !== 'finished' && encounter.status !== 'cancelled';
  return now - end <= windowDays * DAY_MS;
}

/**
 * The attribute rules: a ward doctor or nurse reads patients staying (or recently discharged)
 * on one of their wards, or whom they attend; a radiologist reads patients with imaging.
 * Returns the grounds, or undefined when none apply (then only break-the-glass opens).
 */
export function careRelationship(
  user: User,
  resources: Iterable<Resource>,
  options: { now: number; careWindowDays: number },
): AccessBasis | undefined {
  const wards = new Set(user.roles.some((r) => r === 'ward-doctor' || r === 'nurse') ? user.wards : []);
  const attending = user.roles.includes('ward-doctor') ? user.practitionerId : undefined;
  const radiologist = user.roles.includes('radiologist');
  let basis: AccessBasis | undefined;
  for (const resource of resources) {
    if (resource.resourceType === 'ImagingStudy' && radiologist) basis ??= 'imaging';
    if (resource.resourceType !== 'Encounter') continue;
    const encounter = resource as Encounter;
    if (!withinWindow(encounter, options.now, options.careWindowDays)) continue;
    if (attending && attends(encounter, attending)) return 'treating';
    if (wards.size > 0 && wardCodesOf(encounter).some((code) => wards.has(code))) basis = 'ward';
  }
  return basis;
}
