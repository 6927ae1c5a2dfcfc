import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPassphraseKeyProtector, openCacheStore } from '../../../../../src/main/services/cache/index.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';
import { composeWardWorklist } from '../../../../../src/main/services/worklist/index.ts';

const RESIDENT_ID = '110101199001010011'; // synthetic
const HIS = { sourceId: 'his', sourcePatientId: 'H1' };
const CDR = { sourceId: 'cdr', sourcePatientId: 'C9' };

describe('the arrival prefetch fetches the whole person', () => {
  it('an admitted HIS record is fetched with the CDR record a search by its 身份证 links, and the list is told', async () => {
    const cache = await openCacheStore({
      directory: mkdtempSync(join(tmpdir(), 'huizhen-wl-prefetch-')),
      protector: createPassphraseKeyProtector('unit test passphrase', { log2Cost: 12 }),
    });
    const loaded: SourcePatientRef[][] = [];
    const searched: string[] = [];
    const ward = composeWardWorklist({
      cache,
      careWindowDays: 30,
      prefetch: true,
      nationalIds: (p) => (p.identifier ?? []).flatMap((i) => (i.type?.coding?.[0]?.code === 'NNCHN' && i.value ? [i.value] : [])),
      wholePerson: async (nationalId) => {
        searched.push(nationalId);
        return [HIS, CDR];
      },
      loadRecord: async (refs) => {
        loaded.push([...refs]);
        return { resources: [] };
      },
      changeSignal: { quietMs: 5, minIntervalMs: 20 },
    });
    const heard: string[][] = [];
    ward.worklist.onChanged((c) => heard.push(c.reasons));
    try {
      ward.census.accept({
        trigger: 'A01',
        patient: HIS,
        location: { ward: 'CARD-1', bed: '40' },
        identifiers: [
          { value: 'H1', type: 'MR' },
          { value: RESIDENT_ID, type: 'NNCHN' },
        ],
      });
      await expect.poll(() => loaded).toEqual([[HIS, CDR]]);
      expect(searched).toEqual([RESIDENT_ID]);
      await expect.poll(() => heard.flat()).toContain('results');
    } finally {
      ward.stop();
      cache.close();
    }
  });
});
