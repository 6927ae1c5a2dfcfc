import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'huizhen-convert-'));

async function huizhen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin', 'huizhen.mjs'), ...args], {
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

type Bundle = { resourceType: string; entry: { resource: { resourceType: string } }[] };
const types = (bundle: Bundle) => new Set(bundle.entry.map((e) => e.resource.resourceType));

describe('huizhen convert (real messages and documents written by others)', () => {
  it('hl7v2: an ORU^R01 lab message → Patient, DiagnosticReport, Observations', async () => {
    const { code, stdout } = await huizhen('convert', 'hl7v2', join(fixtures, 'hl7v2', 'fhir-converter', 'LAB-ORU-1.hl7'));
    expect(code).toBe(0);
    const bundle = JSON.parse(stdout) as Bundle;
    expect(bundle.resourceType).toBe('Bundle');
    for (const t of ['Patient', 'DiagnosticReport', 'Observation']) expect(types(bundle)).toContain(t);
  });

  it('hl7v3: a PDQv3 response (PRPA_IN201306UV02) → Patients', async () => {
    const { code, stdout } = await huizhen('convert', 'hl7v3', join(fixtures, 'hl7v3', 'ehealthsuisse-iti47-response.xml'));
    expect(code).toBe(0);
    expect(types(JSON.parse(stdout) as Bundle)).toContain('Patient');
  });

  it('cda: a C-CDA discharge summary → Composition, DocumentReference and coded resources', async () => {
    const { code, stdout } = await huizhen('convert', 'cda', join(fixtures, 'cda', 'ccda-discharge-summary.xml'));
    expect(code).toBe(0);
    const bundle = JSON.parse(stdout) as Bundle;
    for (const t of ['Composition', 'DocumentReference', 'Patient']) expect(types(bundle)).toContain(t);
  });

  it('bad input exits 4 with one line naming what is wrong, and never a stack trace', async () => {
    const garbage = join(scratch, 'garbage.hl7');
    writeFileSync(garbage, 'not an HL7 message');
    const v2 = await huizhen('convert', 'hl7v2', garbage);
    expect(v2.code).toBe(4);
    expect(v2.stderr).toMatch(/garbage\.hl7: cannot convert as hl7v2: .*MSH/);

    const xxe = join(scratch, 'xxe.xml');
    writeFileSync(
      xxe,
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3">&a;</ClinicalDocument>',
    );
    const cda = await huizhen('convert', 'cda', xxe);
    expect(cda.code).toBe(4);
    expect(cda.stderr).toContain('DOCTYPE or ENTITY declaration; refused');
    expect(cda.stdout).not.toContain('root:');

    for (const r of [v2, cda]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a CDA document or HL7 v3 message nested 10,000 deep exits 4 naming the nesting limit, not 70 with a stack overflow', async () => {
    const read = (...parts: string[]) => readFileSync(join(fixtures, ...parts), 'utf8');
    const deepCda = join(scratch, 'deep.xml');
    writeFileSync(
      deepCda,
      read('cda', 'ccda-ccd.xml')
        .replace('<text>', `<text>${'<content>'.repeat(10_000)}`)
        .replace('</text>', `${'</content>'.repeat(10_000)}</text>`),
    );
    const deepV3 = join(scratch, 'deep-v3.xml');
    writeFileSync(
      deepV3,
      read('hl7v3', 'ehealthsuisse-iti47-response.xml').replace(
        /(<ns1:controlActProcess[^>]*>)/,
        `$1${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}`,
      ),
    );
    for (const [kind, file] of [
      ['cda', deepCda],
      ['hl7v3', deepV3],
    ] as const) {
      const r = await huizhen('convert', kind, file);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/nests elements more than \d+ deep \(line \d+\); refused/);
      expect(r.stderr).not.toMatch(/RangeError|\n\s+at /);
    }
  });

  it('a missing file or an unknown kind is a usage error', async () => {
    expect((await huizhen('convert', 'cda', join(scratch, 'nope.xml'))).stderr).toContain('file not found');
    const unknown = await huizhen('convert', 'x12', 'a.txt');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('convert needs a kind: hl7v2, hl7v3 or cda');
  });
});
