import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_EXIT, auditList, auditVerify } from '../../../src/cli/commands/audit.ts';
import { CliError } from '../../../src/cli/cli-error.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { openAuditLog } from '../../../src/main/services/audit/index.ts';
import { openEvent, randomKeys, tempAuditDir } from '../main/services/audit/audit-fixtures.ts';

function capture(): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l) };
}

async function configuredLog(count: number) {
  const dir = tempAuditDir();
  const keys = randomKeys();
  const log = await openAuditLog(dir, keys);
  for (let n = 1; n <= count; n++) await log.append(openEvent(n));
  await log.close();
  return { config: { audit: { directory: dir } }, keys, openKeys: async () => keys, dir };
}

describe('huizhen audit verify / list', () => {
  it('verify: exit 0 and one line for an intact log', async () => {
    const { config, openKeys } = await configuredLog(2);
    const io = capture();
    expect(await auditVerify(config, io, false, openKeys)).toBe(0);
    expect(io.outLines).toEqual([
      expect.stringMatching(/^ok {2}audit log .*: 2 events; chain, MACs and anchor verified$/),
      // Said plainly: without a key store or repository nothing would notice a wiped or restored folder.
      '  head: no head kept beside the key material; no audit repository configured',
    ]);
  });

  it('verify: exit 5 and where, for a tampered log; --json gives the problems', async () => {
    const { config, openKeys, dir } = await configuredLog(3);
    const file = join(dir, 'audit.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [lines[0], lines[2], ''].join('\n'));
    const io = capture();
    expect(await auditVerify(config, io, false, openKeys)).toBe(AUDIT_EXIT.tampered);
    expect(io.outLines[0]).toMatch(/^TAMPERED/);
    expect(io.outLines[1]).toBe('  line 2 (seq 2): deleted — seq 2 is missing between line 1 and line 2: lines were deleted');
    const json = capture();
    expect(await auditVerify(config, json, true, openKeys)).toBe(AUDIT_EXIT.tampered);
    expect(JSON.parse(json.outLines.join('\n'))).toMatchObject({ ok: false, problems: [{ kind: 'deleted', line: 2, seq: 2 }] });
  });

  it('verify with the wrong keys: one clear error, exit 6', async () => {
    const { config } = await configuredLog(1);
    const wrong = randomKeys();
    await expect(auditVerify(config, capture(), false, async () => wrong)).rejects.toEqual(
      expect.objectContaining({ exitCode: AUDIT_EXIT.cannotVerify }),
    );
    await expect(auditVerify(config, capture(), false, async () => wrong)).rejects.toBeInstanceOf(CliError);
  });

  it('list prints the decrypted events, filtered', async () => {
    const { config, openKeys } = await configuredLog(3);
    const io = capture();
    expect(await auditList(config, io, false, openKeys, { fromSeq: 2 })).toBe(0);
    expect(io.outLines).toHaveLength(3);
    expect(io.outLines[0]).toContain('patient-open success  王芳 <local:wangfang> @ward-3-pc-1 patient his/H1000002');
    expect(io.outLines[2]).toBe('2 events');
  });
});
