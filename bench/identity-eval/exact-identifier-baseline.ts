/**
 * The baseline: link two records only when they carry an identical strong identifier value
 * (身份证, insurance, MPI, passport) of the same system, without validation or demographics, as
 * the first cut of groupCandidates did and as many integration engines do.
 */
import type { Patient } from '@medplum/fhirtypes';

const STRONG_TYPE_CODES = new Set(['NI', 'NNCHN', 'SS', 'SB', 'PPN', 'CZ']);

export function exactIdentifierClusters(patients: readonly Patient[]): number[] {
  const parent = patients.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const first = new Map<string, number>();
  patients.forEach((p, i) => {
    for (const id of p.identifier ?? []) {
      const strong = (id.type?.coding ?? []).some((c) => c.code && STRONG_TYPE_CODES.has(c.code)) || /mpi/i.test(id.system ?? '');
      if (!id.value || !strong) continue;
      const key = `${id.system ?? ''}|${id.value}`;
      const other = first.get(key);
      if (other === undefined) first.set(key, i);
      else parent[root(i)] = root(other);
    }
  });
  return patients.map((_, i) => root(i));
}
