import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  openAuditLog,
  readAuditEvents,
  verifyAuditLog,
  type AuditKeys,
  type AuditProblem,
} from '../../../../../src/main/services/audit/index.ts';
import { lineHash, parseLine, serializeLine, type AuditLine } from '../../../../../src/main/services/audit/audit-line.ts';
import { logOf, randomKeys, tempAuditDir } from './audit-fixtures.ts';

const NOT_WITNESSED = { witness: { state: 'not-kept' }, repository: { state: 'not-configured' } };

const logFile = (dir: string) => join(dir, 'audit.jsonl');
const readLines = (dir: string) => readFileSync(logFile(dir), 'utf8').split('\n').slice(0, -1);
const writeLines = (dir: string, lines: string[]) => writeFileSync(logFile(dir), lines.map((l) => `${l}\n`).join(''));

function parsed(text: string): AuditLine {
  const p = parseLine(text);
  if (!p.ok) throw new Error(p.problem);
  return p.line;
}

async function problemsOf(dir: string, keys: AuditKeys): Promise<Pick<AuditProblem, 'kind' | 'line' | 'seq'>[]> {
  const result = await verifyAuditLog(dir, keys);
  expect(result.ok).toBe(result.problems.length === 0);
  return result.problems.map(({ kind, line, seq }) => ({ kind, line, ...(seq !== undefined ? { seq } : {}) }));
}

describe('verifyAuditLog: every kind of tampering is found, and where', () => {
  it('an untouched log verifies', async () => {
    const { dir, keys } = await logOf(5);
    expect(await verifyAuditLog(dir, keys)).toEqual({ ok: true, events: 5, lines: 5, problems: [], head: NOT_WITNESSED });
  });

  it('one byte of a body changed → edited, at that line and seq', async () => {
    const { dir, keys } = await logOf(5);
    const lines = readLines(dir);
    const line = parsed(lines[2]!);
    const flipped = line.body.slice(0, 10) + (line.body[10] === 'A' ? 'B' : 'A') + line.body.slice(11);
    lines[2] = serializeLine({ ...line, body: flipped });
    writeLines(dir, lines);
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'edited', line: 3, seq: 3 }]);
  });

  it('a seq changed → edited (and nothing reported as deleted: the line is still there)', async () => {
    const { dir, keys } = await logOf(5);
    const lines = readLines(dir);
    lines[2] = lines[2]!.replace('"seq":3', '"seq":9');
    writeLines(dir, lines);
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'edited', line: 3, seq: 9 }]);
  });

  it('two lines swapped → reordered, at the line that comes too late', async () => {
    const { dir, keys } = await logOf(5);
    const lines = readLines(dir);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    writeLines(dir, lines);
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'reordered', line: 3, seq: 2 }]);
  });

  it('a middle line deleted → deleted, naming the missing seq and the lines around the gap', async () => {
    const { dir, keys } = await logOf(5);
    const lines = readLines(dir);
    lines.splice(2, 1);
    writeLines(dir, lines);
    const result = await verifyAuditLog(dir, keys);
    expect(result.problems).toEqual([
      { kind: 'deleted', line: 3, seq: 3, message: 'seq 3 is missing between line 2 and line 3: lines were deleted' },
    ]);
  });

  it('the tail deleted → truncated, found by the anchor', async () => {
    const { dir, keys } = await logOf(5);
    writeLines(dir, readLines(dir).slice(0, 3));
    const result = await verifyAuditLog(dir, keys);
    expect(result.problems).toMatchObject([{ kind: 'truncated', line: 3, seq: 4 }]);
    expect(result.problems[0]!.message).toContain('seq 4–5 were cut off the end');
  });

  it('the whole log emptied → truncated', async () => {
    const { dir, keys } = await logOf(3);
    writeFileSync(logFile(dir), '');
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'truncated', line: 0, seq: 1 }]);
  });

  it('a forged line (right shape and hash, no key) inserted → inserted', async () => {
    const { dir, keys } = await logOf(5);
    const lines = readLines(dir);
    const model = parsed(lines[2]!);
    const forgedContent = { seq: 3, at: model.at, prev: model.prev, body: Buffer.from('forged').toString('base64') };
    lines.splice(3, 0, serializeLine({ ...forgedContent, hash: lineHash(forgedContent), mac: 'f'.repeat(64) }));
    writeLines(dir, lines);
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'inserted', line: 4, seq: 3 }]);
  });

  it('a forged line appended after the end → inserted', async () => {
    const { dir, keys } = await logOf(3);
    const lines = readLines(dir);
    const lastLine = parsed(lines[2]!);
    const content = { seq: 4, at: lastLine.at, prev: lastLine.hash, body: lastLine.body };
    lines.push(serializeLine({ ...content, hash: lineHash(content), mac: '0'.repeat(64) }));
    writeLines(dir, lines);
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'inserted', line: 4, seq: 4 }]);
  });

  it('an authentic line copied in again → inserted', async () => {
    const { dir, keys } = await logOf(4);
    const lines = readLines(dir);
    lines.splice(3, 0, lines[1]!);
    writeLines(dir, lines);
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'inserted', line: 4, seq: 2 }]);
  });

  it('a line rewritten and re-hashed without the key → bad-mac', async () => {
    const { dir, keys } = await logOf(4);
    const lines = readLines(dir);
    const line = parsed(lines[1]!);
    const content = { seq: line.seq, at: '2030-01-01T00:00:00.000Z', prev: line.prev, body: line.body };
    lines[1] = serializeLine({ ...content, hash: lineHash(content), mac: line.mac });
    writeLines(dir, lines);
    // The next line still points at the old hash; the rewritten line is the one reported.
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'bad-mac', line: 2, seq: 2 }]);
  });

  it('a line that is not JSON in the middle → edited; a torn last line → torn', async () => {
    const { dir, keys } = await logOf(4);
    const lines = readLines(dir);
    lines[1] = 'garbage';
    writeFileSync(logFile(dir), `${lines.join('\n')}\n{"seq":5,"at":"20`);
    expect(await problemsOf(dir, keys)).toEqual([
      { kind: 'edited', line: 2 },
      { kind: 'torn', line: 5 },
    ]);
  });

  it('the anchor edited, or deleted → anchor-mismatch', async () => {
    const { dir, keys } = await logOf(3);
    const anchorFile = join(dir, 'anchor.json');
    const anchor = readFileSync(anchorFile, 'utf8');
    writeFileSync(anchorFile, anchor.replace('"seq":3', '"seq":2'));
    expect(await problemsOf(dir, keys)).toEqual([{ kind: 'anchor-mismatch', line: 3 }]);
    rmSync(anchorFile);
    const result = await verifyAuditLog(dir, keys);
    expect(result.problems).toMatchObject([{ kind: 'anchor-mismatch', message: expect.stringContaining('anchor.json is missing') }]);
  });

  it('wrong keys → a clear error, not a list of every line', async () => {
    const { dir, keys } = await logOf(3);
    const wrong = randomKeys();
    await expect(verifyAuditLog(dir, wrong)).rejects.toMatchObject({
      code: 'wrong-keys',
      message: expect.stringContaining('keys are wrong'),
    });
    await expect(readAuditEvents(dir, wrong)).rejects.toMatchObject({ code: 'wrong-keys' });
    await expect(openAuditLog(dir, wrong)).rejects.toMatchObject({ code: 'wrong-keys' });
    await expect(verifyAuditLog(dir, { seal: wrong.seal, mac: keys.mac })).rejects.toMatchObject({
      code: 'wrong-keys',
      message: expect.stringContaining('seal key is wrong'),
    });
  });

  it('a missing folder is an error, not an empty log', async () => {
    await expect(verifyAuditLog(join(tempAuditDir(), 'nowhere'), randomKeys())).rejects.toMatchObject({
      code: 'io',
      message: expect.stringContaining('no audit log'),
    });
  });

  it('listing a tampered log shows only what authenticates and names the problems', async () => {
    const { dir, keys } = await logOf(4);
    const lines = readLines(dir);
    lines[1] = lines[1]!.replace('"seq":2', '"seq":7');
    writeLines(dir, lines);
    const listing = await readAuditEvents(dir, keys);
    expect(listing.events.map((e) => e.seq)).toEqual([1, 3, 4]);
    expect(listing.problems.map((p) => p.kind)).toEqual(['edited']);
  });

  it('opening a truncated or de-anchored log for appending is refused: appending would bury the evidence', async () => {
    const { dir, keys } = await logOf(4);
    writeLines(dir, readLines(dir).slice(0, 2));
    await expect(openAuditLog(dir, keys)).rejects.toMatchObject({ code: 'tampered', message: expect.stringContaining('cut off') });
    const other = await logOf(2);
    rmSync(join(other.dir, 'anchor.json'));
    await expect(openAuditLog(other.dir, other.keys)).rejects.toMatchObject({
      code: 'tampered',
      message: expect.stringContaining('anchor'),
    });
  });
});
