import { describe, expect, it } from 'vitest';
import type { WorklistRow } from '../../../../../src/shared/api/worklist.ts';
import type { PatientCandidate } from '../../../../../src/shared/domain/patient.ts';
import { candidateOfRow, moreLinksOfRow } from '../../../../../src/renderer/features/worklist/person-of-row.ts';

const his = { sourceId: 'his', sourcePatientId: 'H0000001' };
const cdr = { sourceId: 'cdr', sourcePatientId: 'p-1' };
const lis = { sourceId: 'lis', sourcePatientId: 'L1' };
const row = {
  key: 'his\u0000H0000001',
  refs: [his, cdr],
  placements: [
    { sourceId: 'his', ward: 'CARD-1', bed: '06', status: 'admitted' },
    { sourceId: 'cdr', ward: 'CARD-1', bed: '06', status: 'admitted' },
  ],
  placementConflict: false,
  openQuery: 'H0000001',
  ward: 'CARD-1',
  bed: '06',
  name: '欧阳志明',
  mine: false,
  basis: 'ward',
  status: 'admitted',
  allergies: 'unknown',
  newResults: { count: 0, abnormal: 0, critical: 0 },
  pendingSources: [],
} satisfies WorklistRow;
const candidate = (refs: PatientCandidate['refs']): PatientCandidate => ({
  key: 'k',
  displayName: '欧阳志明',
  otherNames: [],
  identifiers: [],
  refs,
  link: { outcome: 'linked', reasons: [] },
});

describe('opening a worklist row', () => {
  it('opens at once with every record main linked to the row', () => {
    expect(candidateOfRow(row)).toMatchObject({ key: row.key, refs: [his, cdr], link: { outcome: 'linked' } });
  });

  it('merges the live links: the records a search adds to the row’s person, the row’s own first', async () => {
    const api = { searchPatients: async () => ({ candidates: [candidate([lis, his])], sources: [] }) };
    expect((await moreLinksOfRow(api, row))?.refs).toEqual([his, cdr, lis]);
  });

  it('nothing to merge when the search adds nothing, finds someone else, or fails (an outage)', async () => {
    expect(
      await moreLinksOfRow({ searchPatients: async () => ({ candidates: [candidate([cdr, his])], sources: [] }) }, row),
    ).toBeUndefined();
    expect(await moreLinksOfRow({ searchPatients: async () => ({ candidates: [candidate([lis])], sources: [] }) }, row)).toBeUndefined();
    expect(await moreLinksOfRow({ searchPatients: () => Promise.reject(new Error('timeout')) }, row)).toBeUndefined();
  });
});
