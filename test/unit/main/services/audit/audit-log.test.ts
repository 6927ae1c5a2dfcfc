import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditError, openAuditLog, readAuditEvents, verifyAuditLog } from '../../../../../src/main/services/audit/index.ts';
import { GENESIS_HASH, lineHash, parseLine } from '../../../../../src/main/services/audit/audit-line.ts';
import { DOCTOR, openEvent, randomKeys, tempAuditDir } from './audit-fixtures.ts';

const NOT_WITNESSED = { witness: { state: 'not-kept' }, repository: { state: 'not-configured' } };

function fileLines(dir: string): string[] {
  return readFileSync(join(dir, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
}

describe('audit log: append, chain, seal', () => {
  it('appends numbered lines chained by hash from the genesis, and reads the events back', async () => {
    const dir = tempAuditDir();
    const keys = randomKeys();
    const log = await openAuditLog(dir, keys);
    for (let n = 1; n <= 3; n++) expect((await log.append(openEvent(n))).seq).toBe(n);
    await log.close();

    const lines = fileLines(dir).map((l) => {
      const parsed = parseLine(l);
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.line;
    });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(lines[0]!.prev).toBe(GENESIS_HASH);
    expect(lines[1]!.prev).toBe(lines[0]!.hash);
    expect(lines[2]!.prev).toBe(lines[1]!.hash);
    for (const l of lines) expect(lineHash(l)).toBe(l.hash);

    const listing = await readAuditEvents(dir, keys);
    expect(listing.problems).toEqual([]);
    expect(listing.events.map((e) => e.event)).toEqual([openEvent(1), openEvent(2), openEvent(3)]);
    expect(await verifyAuditLog(dir, keys)).toEqual({ ok: true, events: 3, lines: 3, problems: [], head: NOT_WITNESSED });
  });

  it('holds no plaintext patient id, user or query: bodies are sealed', async () => {
    const dir = tempAuditDir();
    const log = await openAuditLog(dir, randomKeys());
    await log.append(openEvent(7));
    await log.append({
      ...openEvent(8),
      action: 'patient-search',
      patient: undefined,
      entity: { type: 'query', detail: '张伟 110101196803120132' },
    });
    await log.close();
    const raw = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    for (const secret of ['H1000007', 'wangfang', '王芳', '张伟', '110101196803120132', 'patient-open']) expect(raw).not.toContain(secret);
  });

  it('keeps its folder private (0700) and its files 0600', async () => {
    const dir = tempAuditDir();
    const log = await openAuditLog(dir, randomKeys());
    await log.append(openEvent(1));
    await log.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'audit.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('serializes concurrent appends: seqs are dense and the chain holds', async () => {
    const dir = tempAuditDir();
    const keys = randomKeys();
    const log = await openAuditLog(dir, keys);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(openEvent(i + 1))));
    await log.close();
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await verifyAuditLog(dir, keys)).ok).toBe(true);
  });

  it('continues the chain after reopening', async () => {
    const dir = tempAuditDir();
    const keys = randomKeys();
    const first = await openAuditLog(dir, keys);
    await first.append(openEvent(1));
    await first.close();
    const second = await openAuditLog(dir, keys);
    expect(second.logId).toBe(first.logId);
    expect(second.lastSeq()).toBe(1);
    expect((await second.append(openEvent(2))).seq).toBe(2);
    await second.close();
    expect(await verifyAuditLog(dir, keys)).toMatchObject({ ok: true, events: 2 });
  });

  it('refuses invalid events by field, and a failed login needs the attempted user name', async () => {
    const log = await openAuditLog(tempAuditDir(), randomKeys());
    await expect(log.append({ ...openEvent(1), at: 'yesterday' })).rejects.toMatchObject({
      code: 'invalid-event',
      message: expect.stringContaining('field at'),
    });
    await expect(log.append({ ...openEvent(1), user: undefined })).rejects.toMatchObject({
      code: 'invalid-event',
      message: expect.stringContaining('attemptedUser'),
    });
    await expect(log.append({ ...openEvent(1), action: 'break-glass' })).rejects.toMatchObject({
      code: 'invalid-event',
      message: expect.stringContaining('field reason'),
    });
    await expect(
      log.append({ ...openEvent(1), action: 'login-failed', outcome: 'failure', user: undefined, attemptedUser: 'wangf' }),
    ).resolves.toMatchObject({ seq: 1 });
    await expect(log.append({ ...openEvent(2), user: { ...DOCTOR, roles: [] } })).rejects.toBeInstanceOf(AuditError);
    await log.close();
  });

  it('refuses keys of the wrong size, and the same key twice', async () => {
    await expect(openAuditLog(tempAuditDir(), { seal: Buffer.alloc(16), mac: Buffer.alloc(32, 1) })).rejects.toMatchObject({
      code: 'wrong-keys',
    });
    const k = randomKeys().seal;
    await expect(openAuditLog(tempAuditDir(), { seal: k, mac: k })).rejects.toMatchObject({ code: 'wrong-keys' });
  });

  it('filters listings by action, user, patient, seq and time, newest `limit`', async () => {
    const dir = tempAuditDir();
    const keys = randomKeys();
    const log = await openAuditLog(dir, keys);
    for (let n = 1; n <= 5; n++) await log.append(openEvent(n));
    await log.append({ ...openEvent(6), action: 'logout', patient: undefined });
    await log.close();
    const seqs = async (filter: Parameters<typeof readAuditEvents>[2]) =>
      (await readAuditEvents(dir, keys, filter)).events.map((e) => e.seq);
    expect(await seqs({ actions: ['logout'] })).toEqual([6]);
    expect(await seqs({ patient: { sourceId: 'his', sourcePatientId: 'H1000003' } })).toEqual([3]);
    expect(await seqs({ fromSeq: 2, toSeq: 4 })).toEqual([2, 3, 4]);
    expect(await seqs({ since: openEvent(5).at })).toEqual([5, 6]);
    expect(await seqs({ limit: 2 })).toEqual([5, 6]);
    expect(await seqs({ userId: 'local:someone-else' })).toEqual([]);
  });
});
