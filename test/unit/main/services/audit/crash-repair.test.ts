import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog, readAuditEvents, verifyAuditLog, type AuditKeys } from '../../../../../src/main/services/audit/index.ts';
import { buildLine, parseLine, serializeLine } from '../../../../../src/main/services/audit/audit-line.ts';
import { logOf, openEvent } from './audit-fixtures.ts';

const NOT_WITNESSED = { witness: { state: 'not-kept' }, repository: { state: 'not-configured' } };

/** The line seq `count + 1` would have been, as the crashed process was writing it. */
function nextLine(dir: string, keys: AuditKeys, count: number): string {
  const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8').split('\n');
  const last = parseLine(lines[count - 1]!);
  if (!last.ok) throw new Error(last.problem);
  const event = openEvent(count + 1);
  return serializeLine(buildLine(keys, count + 1, event.at, last.line.hash, JSON.stringify(event)));
}

describe('audit log after a crash', () => {
  it('a torn last line is reported as torn, then moved aside on open without losing an acknowledged event', async () => {
    const { dir, keys } = await logOf(3);
    const torn = nextLine(dir, keys, 3).slice(0, 57);
    appendFileSync(join(dir, 'audit.jsonl'), torn);

    const before = await verifyAuditLog(dir, keys);
    expect(before.problems).toMatchObject([{ kind: 'torn', line: 4 }]);
    expect(before.events).toBe(3);

    const log = await openAuditLog(dir, keys);
    expect(log.openReport.quarantined).toHaveLength(1);
    expect(readFileSync(log.openReport.quarantined[0]!.movedTo, 'utf8')).toBe(torn);
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(1);
    expect(log.lastSeq()).toBe(3);
    expect((await log.append(openEvent(4))).seq).toBe(4);
    await log.close();

    expect(await verifyAuditLog(dir, keys)).toEqual({ ok: true, events: 4, lines: 4, problems: [], head: NOT_WITNESSED });
    expect((await readAuditEvents(dir, keys)).events.map((e) => e.event.at)).toEqual([1, 2, 3, 4].map((n) => openEvent(n).at));
  });

  it('a complete line whose newline never reached the disk is kept, and the anchor caught up', async () => {
    const { dir, keys } = await logOf(2);
    appendFileSync(join(dir, 'audit.jsonl'), nextLine(dir, keys, 2));
    const log = await openAuditLog(dir, keys);
    expect(log.openReport).toEqual({ quarantined: [], anchorRepaired: true });
    expect(log.lastSeq()).toBe(3);
    await log.append(openEvent(4));
    await log.close();
    expect(await verifyAuditLog(dir, keys)).toMatchObject({ ok: true, events: 4 });
  });

  it('an anchor one line behind (crash between line and anchor) verifies, and open brings it up to date', async () => {
    const { dir, keys } = await logOf(2);
    const anchorBefore = readFileSync(join(dir, 'anchor.json'));
    const log = await openAuditLog(dir, keys);
    await log.append(openEvent(3));
    await log.close();
    writeFileSync(join(dir, 'anchor.json'), anchorBefore);

    expect(await verifyAuditLog(dir, keys)).toMatchObject({ ok: true, events: 3 });
    const reopened = await openAuditLog(dir, keys);
    expect(reopened.openReport.anchorRepaired).toBe(true);
    await reopened.close();
    expect(JSON.parse(readFileSync(join(dir, 'anchor.json'), 'utf8'))).toMatchObject({ seq: 3 });
  });
});
