import type { HuizhenApi } from '../../../shared/api/client.ts';
import type { WorklistRow } from '../../../shared/api/worklist.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';

/** The census's record of the row's patient alone: what opens when the search cannot find the person. */
export function candidateOfRow(row: WorklistRow): PatientCandidate {
  return {
    key: row.key,
    displayName: row.name,
    otherNames: [],
    identifiers: [],
    refs: row.refs,
    link: { outcome: 'single', reasons: [] },
    ...(row.sex ? { gender: row.sex } : {}),
    ...(row.birthDate ? { birthDate: row.birthDate } : {}),
  };
}

const sameRef = (a: { sourceId: string; sourcePatientId: string }, b: { sourceId: string; sourcePatientId: string }) =>
  a.sourceId === b.sourceId && a.sourcePatientId === b.sourcePatientId;

/**
 * The person a row stands for, found as a search finds them: the row's record with every system
 * record the identity service links to it (the census knows one system's record only). When the
 * search fails or does not return that record, the row's own record opens.
 */
export async function personOfRow(api: Pick<HuizhenApi, 'searchPatients'>, row: WorklistRow): Promise<PatientCandidate> {
  try {
    const { candidates } = await api.searchPatients({ query: row.openQuery });
    const person = candidates.find((c) => row.refs.every((ref) => c.refs.some((r) => sameRef(r, ref))));
    return person ?? candidateOfRow(row);
  } catch {
    return candidateOfRow(row);
  }
}
