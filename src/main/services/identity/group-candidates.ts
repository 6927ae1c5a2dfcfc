import { createHash } from 'node:crypto';
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { PatientCandidate, PatientIdentifier } from '../../../shared/domain/patient.ts';
import { patientDisplayNames } from './patient-names.ts';

/** Identifier types that name a person everywhere, not just inside one system. */
const STRONG_TYPE_CODES = new Set(['NI', 'NNCHN', 'SS', 'SB', 'PPN', 'CZ']);

function isStrong(identifier: Identifier): boolean {
  return (identifier.type?.coding ?? []).some((c) => c.code !== undefined && STRONG_TYPE_CODES.has(c.code));
}

function identifierLabel(identifier: Identifier): string | undefined {
  return identifier.type?.text ?? identifier.type?.coding?.find((c) => c.display)?.display ?? identifier.type?.coding?.[0]?.code;
}

/**
 * Groups the patients that several systems returned for one search. This first cut links only
 * on identical strong identifiers (national ID, insurance number); the probabilistic matcher of
 * the identity service replaces it, keeping this shape.
 */
export function groupCandidates(all: readonly SourcedResource<Patient>[]): PatientCandidate[] {
  // A patient without an id cannot be opened again; adapters should never return one.
  const found = all.filter((p) => Boolean(p.resource.id));
  const parent = found.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const firstWithKey = new Map<string, number>();
  const reasons = new Map<number, Set<string>>();
  found.forEach((item, i) => {
    for (const id of item.resource.identifier ?? []) {
      if (!id.value || !isStrong(id)) continue;
      const key = `${id.system ?? ''}|${id.value}`;
      const other = firstWithKey.get(key);
      if (other === undefined) {
        firstWithKey.set(key, i);
      } else if (root(other) !== root(i)) {
        parent[root(i)] = root(other);
        const label = identifierLabel(id) ?? id.system ?? 'identifier';
        const bucket = reasons.get(other) ?? new Set<string>();
        bucket.add(`same ${label}`);
        reasons.set(other, bucket);
      }
    }
  });

  const groups = new Map<number, number[]>();
  found.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));

  return [...groups.values()].map((members) => {
    const items = members.map((i) => found[i]!);
    const primary = items[0]!.resource;
    const names = items.map((it) => patientDisplayNames(it.resource));
    const display = names[0]!.display;
    const otherNames = [...new Set(names.flatMap((n) => [n.display, ...n.others]))].filter((n) => n !== display);
    const identifiers: PatientIdentifier[] = items.flatMap((it) =>
      (it.resource.identifier ?? [])
        .filter((id): id is Identifier & { value: string } => Boolean(id.value))
        .map((id) => ({ system: id.system, value: id.value, label: identifierLabel(id), sourceId: it.provenance.sourceId })),
    );
    const refs = items.map((it) => ({ sourceId: it.provenance.sourceId, sourcePatientId: it.resource.id ?? '' }));
    const linkReasons = [...new Set(members.flatMap((i) => [...(reasons.get(i) ?? [])]))];
    return {
      key: createHash('sha256').update(refs.map((r) => `${r.sourceId}/${r.sourcePatientId}`).sort().join('\n')).digest('hex').slice(0, 16),
      displayName: display,
      otherNames,
      gender: primary.gender,
      birthDate: primary.birthDate,
      identifiers,
      refs,
      link: { outcome: items.length > 1 ? 'linked' : 'single', reasons: linkReasons },
    };
  });
}
