/** `huizhen quality` against the demo hospital: the real executable, real servers on 127.0.0.1. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { QualityCodeSchema } from '../../src/shared/domain/quality.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'huizhen.mjs');
let hospital: DemoHospital;
let dir: string;
let configFile: string;

async function huizhen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      timeout: 60_000,
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
});
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
      skipped: { query: string; matches: number }[];
      sources: {
        sourceId: string;
        findings: number;
        byCode: Record<string, number>;
        topUnmappedCodes: { code: string; count: number }[];
      }[];
    };
    expect(report.patientsChecked).toBe(1);
    expect(report.skipped).toEqual([{ query: 'NO-SUCH-MRN-999', matches: 0 }]);
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
  });

  it('the text report names each source, and a missing list is a usage error', async () => {
    const { code, stdout } = await huizhen('quality', '--config', configFile, '--user', 'doctor', '--patient', DEMO_PATIENT.mrn);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Patients checked: 1/m);
    const none = await huizhen('quality', '--config', configFile, '--user', 'doctor');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--patients FILE');
  });
});
