import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCacheStore } from '../../src/main/services/cache/cache-store.ts';
import { observation, patientResource, syntheticPatient, tempCacheDir, testProtector } from '../support/cache-fixtures.ts';

const { dir, cleanup } = tempCacheDir('scan');
afterAll(cleanup);

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true })
    .map((f) => join(root, String(f)))
    .filter((f) => statSync(f).isFile());
}

/** Every file of the cache (database, WAL, shm, blobs) searched for each secret in UTF-8 and UTF-16. */
function plaintextHits(secrets: string[]): string[] {
  const hits: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    for (const secret of secrets) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(secret, encoding))) hits.push(`${secret} (${encoding}) in ${file}`);
      }
    }
  }
  return hits;
}

describe('no patient name or identifier in plaintext on disk', () => {
  const patients = [0, 1, 2, 3].map(syntheticPatient);
  const secrets = patients.flatMap((p) => [p.name, p.idCard, p.mrn, p.key]);

  it('finds none in the database, its WAL, or the blob files, while open and after close', async () => {
    const store = await openCacheStore({ directory: dir, protector: testProtector() });
    for (const p of patients) {
      await store.putRecords(p.key, 'cdr', [patientResource(p), observation(1)]);
      await store.indexIdentifiers(p.key, [p.idCard, p.mrn]);
      await store.recordSyncState(p.key, 'cdr', { syncedAt: '2026-01-01T00:00:00Z', etag: `W/"${p.mrn}"` });
      // A DICOM-like payload carrying the name and id, stored under a name that carries them too.
      await store.putBlob(p.key, `studies/${p.idCard}/instances/1`, Buffer.from(`PatientName=${p.name}^PatientID=${p.mrn}`, 'utf8'));
      // A derived view (the timeline's first screen) carries them too, under a name that does.
      const view = `timeline/${p.idCard}`;
      expect(
        await store.putView(view, [{ patientKey: p.key, revision: await store.revisionOf(p.key) }], {
          title: p.name,
          ids: [p.idCard, p.mrn],
        }),
      ).toBe(true);
    }
    // The scan must be able to see what it looks for: the secrets are really in what was written.
    expect(JSON.stringify((await store.getRecords(patients[0]!.key)).records)).toContain(patients[0]!.name);
    expect(filesUnder(dir).some((f) => f.endsWith('cache.db-wal') && statSync(f).size > 0)).toBe(true);
    expect(plaintextHits(secrets)).toEqual([]);
    await store.purgePatient(patients[0]!.key);
    expect(plaintextHits(secrets)).toEqual([]);
    store.close();
    expect(plaintextHits(secrets)).toEqual([]);
  });

  it('the scan itself finds a planted secret (it is not blind)', () => {
    const planted = plaintextHits(['SQLite format 3']);
    expect(planted.some((hit) => hit.includes('cache.db'))).toBe(true);
  });
});
