import type { HuizhenApi } from '../../../shared/api/client.ts';
import type { WorklistRow } from '../../../shared/api/worklist.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';

/**
 * The person as the worklist already knows them: every system record main linked to the row
 * (the identity service's links, as search uses them) — what opens at once, with no wait on a
 * live search.
 */
export function candidateOfRow(row: WorklistRow): PatientCandidate {
  return {
    key: row.key,
    displayName: row.name,
    otherNames: [],
    identifiers: [],
    refs: row.refs,
    link: { outcome: row.refs.length > 1 ? 'linked' : 'single', reasons: [] },
    ...(row.sex ? { gender: row.sex } : {}),
    ...(row.birthDate ? { birthDate: row.birthDate } : {}),
  };
}

type Ref = { sourceId: string; sourcePatientId: string };
const sameRef = (a: Ref, b: Ref) => a.sourceId === b.sourceId && a.sourcePatientId === b.sourcePatientId;

/**
 * The live links, as they come (cache-first, like search): a search by the row's MRN, and — when
 * it finds the row's person with system records the row did not hold — that person with the
 * row's records and the new ones. Undefined when the search adds nothing or fails (an outage:
 * the opened row stands).
 */
export async function moreLinksOfRow(api: Pick<HuizhenApi, 'searchPatients'>, row: WorklistRow): Promise<PatientCandidate | undefined> {
  try {
    const { candidates } = await api.searchPatients({ query: row.openQuery });
    const person = candidates.find((c) => c.refs.some((r) => sameRef(r, row.refs[0]!)));
    const added = person?.refs.filter((r) => !row.refs.some((own) => sameRef(own, r))) ?? [];
    if (!person || added.length === 0) return undefined;
    return { ...person, key: row.key, refs: [...row.refs, ...added] };
  } catch {
    return undefined;
  }
}
