import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openCacheStore } from '../../src/main/services/cache/index.ts';
import { openCacheCredentialVault } from '../../src/main/services/credentials/open-cache-vault.ts';
import { syntheticPatient, testProtector } from '../support/cache-fixtures.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/cache-format-v1');
const dirs: string[] = [];

/** A writable copy: opening switches the database to WAL and may sweep files. */
function copyOfFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'huizhen-cache-compat-'));
  dirs.push(root);
  cpSync(join(FIXTURE, 'cache'), join(root, 'cache'), { recursive: true });
  cpSync(join(FIXTURE, 'cache-credentials.json'), join(root, 'cache-credentials.json'));
  return join(root, 'cache');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a cache written before the key module existed', () => {
  const alice = syntheticPatient(1);

  it('opens with every record, index entry, blob, view, service state and credential intact', async () => {
    const dir = copyOfFixture();
    const store = await openCacheStore({ directory: dir, protector: testProtector() });
    try {
      expect(store.openReport).toMatchObject({ created: false, quarantined: [], orphanBlobsRemoved: 0 });
      const { records, failures, revision } = await store.getRecords(alice.key);
      expect(failures).toEqual([]);
      expect(records.map((r) => `${r.resource.resourceType}/${r.resource.id}`)).toEqual([`Patient/${alice.mrn}`, 'Observation/obs-1']);
      expect(await store.getSyncState(alice.key)).toEqual({ cdr: { syncedAt: '2026-01-01T00:00:00Z' } });
      expect(await store.findPatientsByIdentifier(alice.idCard.toLowerCase())).toEqual([alice.key]);
      expect(await store.getBlob(alice.key, 'frame-1')).toEqual(new Uint8Array([1, 2, 3, 4]));
      expect(await store.getView('timeline', [alice.key], z.object({ first: z.string() }))).toEqual({ first: 'screen' });
      expect(revision).toBeDefined();
      expect(store.readServiceState('huizhen-audit/head/v1')?.toString('utf8')).toBe('head-1');
      const vault = await openCacheCredentialVault(store, dir);
      expect(vault.get('cdr-token')).toBe('secret-\u4e00');
      vault.close();
    } finally {
      store.close();
    }
  });

  it('still opens after its master key is rotated by the current code', async () => {
    const dir = copyOfFixture();
    const first = await openCacheStore({ directory: dir, protector: testProtector() });
    await first.rotateMasterKey();
    first.close();
    const store = await openCacheStore({ directory: dir, protector: testProtector() });
    try {
      expect((await store.getRecords(alice.key)).records).toHaveLength(2);
      const vault = await openCacheCredentialVault(store, dir);
      expect(vault.get('cdr-token')).toBe('secret-\u4e00');
      vault.close();
    } finally {
      store.close();
    }
  });
});
