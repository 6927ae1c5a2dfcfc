/** `huizhen quality` against the demo hospital: the real executable, real servers on 127.0.0.1. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import type { QualityRun } from '../../src/cli/commands/quality.ts';
import { QualityCodeSchema } from '../../src/shared/domain/quality.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'huizhen.mjs');
let hospital: DemoHospital;
let dir: string;
let configFile: string;

async function huizhen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      timeout: 150_000,
      env: { ...process.env, HUIZHEN_PASSWORD: 'huizhen-demo' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  hospital = await startDemoHospital();
  dir = mkdtempSync(join(tmpdir(), 'huizhen-quality-'));
  configFile = join(dir, 'hospital.json');
  writeFileSync(configFile, JSON.stringify(hospital.config));
}, 120_000);
afterAll(async () => hospital.stop());

describe('huizhen quality against the demo hospital', () => {
  it('--json reports per source, codes and counts only, and never a name or identifier', async () => {
    const patients = join(dir, 'patients.txt');
    writeFileSync(patients, `# go-live sample\n${DEMO_PATIENT.mrn}\n\nNO-SUCH-MRN-999\n`);
    const { code, stdout, stderr } = await huizhen('quality', '--config', configFile, '--user', 'doctor', '--patients', patients, '--json');
    expect(stderr).not.toMatch(/unexpected/);
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as {
      patientsChecked: number;
      skipped: { query: string; matches: number; outcome: string }[];
      sources: {
        sourceId: string;
        findings: number;
        byCode: Record<string, number>;
        topUnmappedCodes: { code: string; count: number }[];
      }[];
    };
    expect(report.patientsChecked).toBe(1);
    expect(report.skipped).toEqual([{ query: 'NO-SUCH-MRN-999', matches: 0, outcome: 'no-match' }]);
    for (const s of report.sources) {
      expect(hospital.config.sources.map((c) => c.id)).toContain(s.sourceId);
      for (const kind of Object.keys(s.byCode)) expect(QualityCodeSchema.options).toContain(kind);
      expect(Object.values(s.byCode).reduce((a, b) => a + b, 0)).toBe(s.findings);
    }
    // The demo LIS sends one local code without a mapping (VS-ADM) and two systems disagree on one value.
    expect(report.sources).toContainEqual(
      expect.objectContaining({ sourceId: 'lis', topUnmappedCodes: [expect.objectContaining({ code: 'VS-ADM', count: 1 })] }),
    );
    expect(report.sources.some((s) => (s.byCode['value-conflict'] ?? 0) > 0)).toBe(true);
    for (const secret of [DEMO_PATIENT.residentId, DEMO_PATIENT.nameHanzi]) expect(stdout).not.toContain(secret);
  }, 180_000);

  it('queries reaching one person (MRN, 汉字, pinyin) check that person once: one patient, each record’s findings once', async () => {
    const patients = join(dir, 'one-person.txt');
    writeFileSync(patients, `${DEMO_PATIENT.mrn}\n${DEMO_PATIENT.nameHanzi}\nzhang\n`);
    const { code, stdout } = await huizhen('quality', '--config', configFile, '--user', 'doctor', '--patients', patients, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as QualityRun;
    expect(report.patientsChecked).toBe(1);
    expect(report.queries.map((q) => [q.outcome, q.person])).toEqual([
      ['checked', 1],
      ['checked', 1],
      ['checked', 1],
    ]);
    const lis = report.sources.find((s) => s.sourceId === 'lis')!;
    expect(lis.topUnmappedCodes).toEqual([expect.objectContaining({ code: 'VS-ADM', count: 1 })]);
    const text = await huizhen('quality', '--config', configFile, '--user', 'doctor', '--patients', patients);
    expect(text.stdout).toMatch(/^Patients checked: 1 \(from 3 queries\)$/m);
    expect(text.stdout).toContain(`person 1: reached by "${DEMO_PATIENT.mrn}", "${DEMO_PATIENT.nameHanzi}", "zhang" (checked once)`);
  }, 180_000);

  it('the findings are the same run after run and in text and JSON; a value conflict counts against every source involved', async () => {
    const args = ['quality', '--config', configFile, '--user', 'doctor', '--patient', DEMO_PATIENT.mrn];
    const runs = [await huizhen(...args, '--json'), await huizhen(...args), await huizhen(...args, '--json'), await huizhen(...args)];
    const fromJson = (stdout: string) =>
      Object.fromEntries((JSON.parse(stdout) as QualityRun).sources.map((s) => [s.sourceId, { findings: s.findings, byCode: s.byCode }]));
    // The text report's "Source id (name): n findings" blocks, read back into the JSON's shape.
    const fromText = (stdout: string) => {
      const out: Record<string, { findings: number; byCode: Record<string, number> }> = {};
      let current: { findings: number; byCode: Record<string, number> } | undefined;
      for (const line of stdout.split('\n')) {
        const head = /^Source (\S+) \(.*\): (\d+) findings$/.exec(line);
        if (head) out[head[1]!] = current = { findings: Number(head[2]), byCode: {} };
        const kind = /^ {2}([a-z-]+) +(\d+)$/.exec(line);
        if (kind && current) current.byCode[kind[1]!] = Number(kind[2]);
      }
      return out;
    };
    const first = fromJson(runs[0]!.stdout);
    expect(fromJson(runs[2]!.stdout)).toEqual(first);
    expect(fromText(runs[1]!.stdout)).toEqual(first);
    expect(fromText(runs[3]!.stdout)).toEqual(first);
    const conflicted = Object.entries(first).filter(([, s]) => (s.byCode['value-conflict'] ?? 0) > 0);
    // 肺炎's status (resolved in the CDR, active in the EMR) and 2型糖尿病's onset (2019-03-25 against 2018-06-15).
    expect(conflicted.map(([id, s]) => [id, s.byCode['value-conflict']])).toEqual([
      ['cdr', 2],
      ['emr-platform', 2],
    ]);
  }, 240_000);

  it('the text report names each source, and a missing list is a usage error', async () => {
    const { code, stdout } = await huizhen('quality', '--config', configFile, '--user', 'doctor', '--patient', DEMO_PATIENT.mrn);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Patients checked: 1/m);
    const none = await huizhen('quality', '--config', configFile, '--user', 'doctor');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--patients FILE');
  }, 180_000);
});
