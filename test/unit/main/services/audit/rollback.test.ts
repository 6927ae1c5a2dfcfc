/**
 * Issue 13 item 4: a wiped or rolled-back audit folder used to verify ("ok … 0 events"). The
 * head is now also kept beside the cache's key material (and, with forwarding, in the audit
 * repository); these are the attacks, each done with file access only, as an attacker would.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_EXIT, auditList, auditNewLog, auditVerify, type WithAuditKeyStore } from '../../../../../src/cli/commands/audit.ts';
import { EXIT } from '../../../../../src/cli/cli-error.ts';
import type { CliIo } from '../../../../../src/cli/io.ts';
import { auditEventId } from '../../../../../src/main/services/audit/to-fhir-audit-event.ts';
import { openAuditLog, verifyAuditLog, type RepositoryWitness } from '../../../../../src/main/services/audit/index.ts';
import { createAuditEventReader } from '../../../../../src/main/services/audit/repository-client.ts';
import { createPassphraseKeyProtector, openCacheStore, type CacheStore } from '../../../../../src/main/services/cache/index.ts';
import { auditWitnessOf, auditWitnessSnapshotOf } from '../../../../../src/main/services/audit-trail/index.ts';
import { auditKeysOf } from '../../../../../src/main/services/audit-trail/index.ts';
import { openEvent } from './audit-fixtures.ts';

const WORKSTATION = 'ward-3-pc-1';
const opened: CacheStore[] = [];

afterEach(() => {
  for (const cache of opened.splice(0)) cache.close();
});

function capture(): CliIo & { outLines: string[] } {
  const outLines: string[] = [];
  return { outLines, out: (l) => outLines.push(l), err: () => {} };
}

async function openCache(cacheDir: string): Promise<CacheStore> {
  const cache = await openCacheStore({
    directory: cacheDir,
    protector: createPassphraseKeyProtector('rollback test passphrase', { log2Cost: 12 }),
  });
  opened.push(cache);
  return cache;
}

function closeCache(cache: CacheStore): void {
  opened.splice(opened.indexOf(cache), 1);
  cache.close();
}

/** A workstation's cache and audit folder, as the composition root lays them out. */
function workstationDirs() {
  const root = mkdtempSync(join(tmpdir(), 'huizhen-rollback-'));
  return { root, cacheDir: join(root, 'cache'), auditDir: join(root, 'cache-audit') };
}

/** Appends events `from`..`to` as the workstation does: keys and witness from the cache. */
async function appendEvents(cacheDir: string, auditDir: string, from: number, to: number): Promise<string> {
  const cache = await openCache(cacheDir);
  const keys = auditKeysOf(cache);
  const log = await openAuditLog(auditDir, keys, { witness: auditWitnessOf(cache, keys.mac) });
  for (let n = from; n <= to; n++) await log.append(openEvent(n));
  await log.close();
  closeCache(cache);
  return log.logId;
}

/** What `huizhen audit verify` is handed by the CLI: keys and a snapshot of the head. */
function cliOpener(cacheDir: string) {
  return async () => {
    const cache = await openCache(cacheDir);
    try {
      const keys = auditKeysOf(cache);
      return { ...keys, witness: auditWitnessSnapshotOf(cache, keys.mac) };
    } finally {
      closeCache(cache);
    }
  };
}

async function verifyLikeCli(cacheDir: string, auditDir: string, repository?: RepositoryWitness) {
  const io = capture();
  const code = await auditVerify({ audit: { directory: auditDir } }, io, false, cliOpener(cacheDir), repository);
  return { code, out: io.outLines.join('\n') };
}

/** A repository that holds exactly the events it was given (by their forwarded ids). */
function repositoryHolding(logId: string, seqs: number[]): RepositoryWitness {
  const ids = new Set(seqs.map((seq) => auditEventId(WORKSTATION, logId, seq)));
  return { workstationId: WORKSTATION, holds: async (asked, seq) => ids.has(auditEventId(WORKSTATION, asked, seq)) };
}

describe('a wiped or rolled-back audit log is tampered (exit 5), and verify says how it knows', () => {
  it('wiping audit.jsonl and anchor.json: the key store still records the head', async () => {
    const { cacheDir, auditDir } = workstationDirs();
    await appendEvents(cacheDir, auditDir, 1, 3);
    rmSync(join(auditDir, 'audit.jsonl'));
    rmSync(join(auditDir, 'anchor.json'));
    const { code, out } = await verifyLikeCli(cacheDir, auditDir);
    expect(code).toBe(AUDIT_EXIT.tampered);
    expect(out).toMatch(
      /wiped — the cache's key store records this workstation's audit log at seq 3 \(write \d+\), but the folder holds no log: it was deleted/,
    );
    expect(out).toContain("head: contradicted by the cache's key store (seq 3)");
  });

  it('deleting the whole audit folder is tampered too, not "cannot be checked"', async () => {
    const { cacheDir, auditDir } = workstationDirs();
    await appendEvents(cacheDir, auditDir, 1, 2);
    rmSync(auditDir, { recursive: true });
    const { code, out } = await verifyLikeCli(cacheDir, auditDir);
    expect(code).toBe(AUDIT_EXIT.tampered);
    expect(out).toContain('wiped');
  });

  it('restoring an older copy of the whole audit folder', async () => {
    const { root, cacheDir, auditDir } = workstationDirs();
    await appendEvents(cacheDir, auditDir, 1, 2);
    cpSync(auditDir, join(root, 'older'), { recursive: true });
    await appendEvents(cacheDir, auditDir, 3, 5);
    rmSync(auditDir, { recursive: true });
    cpSync(join(root, 'older'), auditDir, { recursive: true });
    const { code, out } = await verifyLikeCli(cacheDir, auditDir);
    expect(code).toBe(AUDIT_EXIT.tampered);
    expect(out).toContain("(seq 3): rolled-back — the log ends at seq 2 but the cache's key store records seq 5");
    expect(out).toContain('seq 3–5 are gone');
  });

  it('cutting the log and restoring the older anchor', async () => {
    const { cacheDir, auditDir } = workstationDirs();
    await appendEvents(cacheDir, auditDir, 1, 2);
    const olderAnchor = readFileSync(join(auditDir, 'anchor.json'));
    const cutAt = readFileSync(join(auditDir, 'audit.jsonl')).length;
    await appendEvents(cacheDir, auditDir, 3, 4);
    truncateSync(join(auditDir, 'audit.jsonl'), cutAt);
    writeFileSync(join(auditDir, 'anchor.json'), olderAnchor);
    const { code, out } = await verifyLikeCli(cacheDir, auditDir);
    expect(code).toBe(AUDIT_EXIT.tampered);
    expect(out).toMatch(/rolled-back — the log ends at seq 2 but the cache's key store records seq 4/);
  });

  it('the workstation refuses to append to a wiped or restored folder (appending would bury the evidence)', async () => {
    const { root, cacheDir, auditDir } = workstationDirs();
    await appendEvents(cacheDir, auditDir, 1, 1);
    cpSync(auditDir, join(root, 'older'), { recursive: true });
    await appendEvents(cacheDir, auditDir, 2, 2);
    rmSync(auditDir, { recursive: true });
    await expect(appendEvents(cacheDir, auditDir, 3, 3)).rejects.toMatchObject({
      code: 'tampered',
      message: expect.stringContaining('records its log at seq 2 (it was deleted)'),
    });
    cpSync(join(root, 'older'), auditDir, { recursive: true });
    await expect(appendEvents(cacheDir, auditDir, 3, 3)).rejects.toMatchObject({
      code: 'tampered',
      message: expect.stringContaining('an older copy was restored'),
    });
  });

  it('an intact log verifies and says what its head was checked against', async () => {
    const { cacheDir, auditDir } = workstationDirs();
    const logId = await appendEvents(cacheDir, auditDir, 1, 3);
    const { code, out } = await verifyLikeCli(cacheDir, auditDir, repositoryHolding(logId, [1, 2, 3]));
    expect(code).toBe(0);
    expect(out).toMatch(/head: agrees with the cache's key store \(seq 3, write \d+\); audit repository holds nothing past seq 3/);
  });

  it('residual: rolling back the key material with the folder is caught only by the audit repository', async () => {
    const { root, cacheDir, auditDir } = workstationDirs();
    const logId = await appendEvents(cacheDir, auditDir, 1, 2);
    cpSync(cacheDir, join(root, 'older-cache'), { recursive: true });
    cpSync(auditDir, join(root, 'older-audit'), { recursive: true });
    await appendEvents(cacheDir, auditDir, 3, 4);
    for (const [older, dir] of [
      [join(root, 'older-cache'), cacheDir],
      [join(root, 'older-audit'), auditDir],
    ] as const) {
      rmSync(dir, { recursive: true });
      cpSync(older, dir, { recursive: true });
    }
    // Without forwarding nothing outside the attacker's reach remembers seq 3–4 (docs/security.md, section 5).
    expect((await verifyLikeCli(cacheDir, auditDir)).code).toBe(0);
    // With forwarding, the repository holds what was delivered before the rollback.
    const { code, out } = await verifyLikeCli(cacheDir, auditDir, repositoryHolding(logId, [1, 2, 3, 4]));
    expect(code).toBe(AUDIT_EXIT.tampered);
    expect(out).toContain(
      `the audit repository holds seq 3 of this log (workstation ${WORKSTATION}), which neither the folder nor the key store holds: the log was rolled back`,
    );
  });

  it('an unreachable repository is said, not mistaken for agreement or tampering', async () => {
    const { cacheDir, auditDir } = workstationDirs();
    await appendEvents(cacheDir, auditDir, 1, 1);
    const down: RepositoryWitness = { workstationId: WORKSTATION, holds: () => Promise.reject(new Error('connection refused')) };
    const { code, out } = await verifyLikeCli(cacheDir, auditDir, down);
    expect(code).toBe(0);
    expect(out).toContain('audit repository not reachable (connection refused)');
  });

  it('an edited head in the key store is reported, not trusted', async () => {
    const { cacheDir, auditDir } = workstationDirs();
    await appendEvents(cacheDir, auditDir, 1, 2);
    const cache = await openCache(cacheDir);
    cache.updateServiceState('huizhen-audit/head/v1', (bytes) => Buffer.from(bytes!.toString('utf8').replace('"seq":2', '"seq":1')));
    const keys = auditKeysOf(cache);
    const result = await verifyAuditLog(auditDir, keys, { witness: auditWitnessOf(cache, keys.mac) });
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'witness-mismatch', message: expect.stringContaining('was edited') }),
    ]);
  });
});

describe('huizhen audit new-log: the one deliberate way past a witnessed head', () => {
  function keyStore(cacheDir: string): WithAuditKeyStore {
    return async (use) => {
      const cache = await openCache(cacheDir);
      try {
        const keys = auditKeysOf(cache);
        return await use(keys, auditWitnessOf(cache, keys.mac));
      } finally {
        closeCache(cache);
      }
    };
  }

  it('refuses while the folder holds a log; after it was moved aside, begins a log whose first event records the old head', async () => {
    const { root, cacheDir, auditDir } = workstationDirs();
    const oldLog = await appendEvents(cacheDir, auditDir, 1, 3);
    rmSync(join(auditDir, 'anchor.json'));
    const config = { audit: { directory: auditDir, workstationId: WORKSTATION } };
    await expect(auditNewLog(config, capture(), false, keyStore(cacheDir))).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: expect.stringContaining('move the folder aside'),
    });

    cpSync(auditDir, join(root, 'evidence'), { recursive: true });
    rmSync(auditDir, { recursive: true });
    const io = capture();
    expect(await auditNewLog(config, io, false, keyStore(cacheDir))).toBe(0);
    expect(io.outLines[0]).toContain(`it supersedes log ${oldLog}, recorded at seq 3`);

    await appendEvents(cacheDir, auditDir, 4, 4);
    expect((await verifyLikeCli(cacheDir, auditDir)).code).toBe(0);
    const listed = capture();
    expect(await auditList(config, listed, false, cliOpener(cacheDir))).toBe(0);
    expect(listed.outLines[0]).toContain(`config-change success  (attempted: system:`);
    expect(listed.outLines[0]).toContain(`recorded log ${oldLog} at seq 3`);
  });
});

describe('the audit repository as a witness: one GET per seq', () => {
  it('200 holds, 404 does not, anything else is an error', async () => {
    const server = createServer((req, res) => {
      const status = req.url?.endsWith('/AuditEvent/held') ? 200 : req.url?.endsWith('/AuditEvent/broken') ? 500 : 404;
      res.writeHead(status, { 'content-type': 'application/fhir+json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const read = createAuditEventReader({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir` });
      expect(await read('held')).toBe(true);
      expect(await read('absent')).toBe(false);
      await expect(read('broken')).rejects.toThrow();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
