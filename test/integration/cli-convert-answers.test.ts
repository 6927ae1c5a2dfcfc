import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'hl7v3');

async function convert(file: string, kind = 'hl7v3'): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(root, 'bin', 'huizhen.mjs'), 'convert', kind, file.startsWith('/') ? file : join(fixtures, file)],
      { timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('huizhen convert hl7v3: never exit 0 on an error answer', () => {
  it('an AE answer (attribute style) exits 10 with the platform text on stderr and nothing on stdout', async () => {
    const r = await convert('synthetic/cn-pdq-answer-AE-attribute.xml');
    expect(r.code).toBe(10);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('查询失败：患者主索引服务连接超时');
  });

  it('a bare MCCI_IN000002UV01 AE exits 10', async () => {
    expect((await convert('synthetic/cn-register-answer-MCCI-AE.xml')).code).toBe(10);
  });

  it('a query request exits 4 saying it is a request, not an answer', async () => {
    const r = await convert('ehealthsuisse-iti47-request.xml');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('is a PDQv3 query request, not an answer');
  });

  it('a registration (ISO style) and an ITI-44 add convert to Patients with exit 0', async () => {
    for (const file of ['synthetic/cn-register-iso-PRPA_IN201311UV02.xml', 'ehealthsuisse-iti44-add.xml']) {
      const r = await convert(file);
      expect(r.code, file).toBe(0);
      const bundle = JSON.parse(r.stdout) as { entry: { resource: { resourceType: string } }[] };
      expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual(['Patient']);
    }
  });

  it('hl7v2: an RSP^K22 with MSA AE exits 10 with the system text, never an empty Bundle and 0', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'huizhen-convert-')), 'rsp-ae.hl7');
    writeFileSync(file, 'MSH|^~\\&|HIS|HOSP|HZ|HOSP|20250630100000||RSP^K22^RSP_K21|M1|P|2.5\rMSA|AE|Q1|患者主索引服务不可用\rQAK|Q1|AE\r');
    const r = await convert(file, 'hl7v2');
    expect(r.code).toBe(10);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('MSA-1 AE: 患者主索引服务不可用');
  });
});
