/**
 * `huizhen quality` when hospital systems fail, against the real demo hospital: one system
 * hanging (the LIS's fault knob), one configured at a closed port (a wrong URL at go-live), and
 * every system stopped. The report names each failed source with why, never reads as a clean
 * bill, and the exit code is 1 (README, "Data quality").
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import type { QualityRun } from '../../src/cli/commands/quality.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'huizhen.mjs');
/** Each system's deadline: long enough for a loaded machine, short enough that a hang ends the test soon. */
const DEADLINE_MS = 5_000;
let hospital: DemoHospital | undefined;
let dir: string;
let patients: string;

async function huizhen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      timeout: 150_000,
      env: { ...process.env, HUIZHEN_PASSWORD: DEMO_PASSWORD },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The demo's configuration with short deadlines and no retries; `lisPort` points the LIS elsewhere. */
function writeConfig(name: string, lisPort?: number): string {
  const config = hospital!.config;
  const file = join(dir, name);
  const sources = config.sources.map((s) => ({
    ...s,
    ...(s.id === 'lis' && lisPort !== undefined ? { port: lisPort } : {}),
    resilience: { ...s.resilience, timeoutMs: DEADLINE_MS, searchTimeoutMs: DEADLINE_MS, retries: 0 },
  }));
  writeFileSync(file, JSON.stringify({ ...config, sources }));
  return file;
}

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function quality(config: string, json: boolean) {
  return huizhen('quality', '--config', config, '--user', 'doctor', '--patients', patients, ...(json ? ['--json'] : []));
}

beforeAll(async () => {
  hospital = await startDemoHospital();
  dir = mkdtempSync(join(tmpdir(), 'huizhen-quality-down-'));
  patients = join(dir, 'patients.txt');
  writeFileSync(patients, `${DEMO_PATIENT.nameHanzi}\n`);
}, 120_000);
afterAll(async () => hospital?.stop());

describe('huizhen quality names every source that failed, and why', () => {
  it('one source hanging: the LIS times out, named with its deadline; the others are still reported; exit 1', async () => {
    hospital!.lis.faults.set({ hang: true });
    try {
      const config = writeConfig('hang.json');
      const json = await quality(config, true);
      expect(json.stderr).not.toMatch(/unexpected/);
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout) as QualityRun;
      expect(report.complete).toBe(false);
      expect(report.failedSources.map((s) => s.sourceId)).toEqual(['lis']);
      expect(report.failedSources[0]!.name).toBe('LIS (HL7 v2 MLLP)');
      expect(report.failedSources[0]!.reasons).toEqual([expect.objectContaining({ code: 'timeout', state: 'failed', count: 1 })]);
      // The other systems answered: the patient was still checked, through them.
      expect(report.patientsChecked).toBe(1);
      const text = await quality(config, false);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^INCOMPLETE: 1 source failed/m);
      expect(text.stdout).toMatch(/^Source lis \(LIS \(HL7 v2 MLLP\)\) FAILED:\n {2}timeout/m);
    } finally {
      hospital!.lis.faults.reset();
    }
  }, 300_000);

  it('one source at a closed port (a wrong URL): the LIS is unreachable, connection refused; exit 1', async () => {
    const config = writeConfig('wrong-port.json', await closedPort());
    const { code, stdout } = await quality(config, true);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as QualityRun;
    expect(report.failedSources.map((s) => s.sourceId)).toEqual(['lis']);
    expect(report.failedSources[0]!.reasons[0]).toMatchObject({ code: 'unreachable', message: expect.stringMatching(/refused/) });
    expect(report.patientsChecked).toBe(1);
    expect(report.notChecked).toEqual([]);
    // What answered is still reported: the CDR and the platform disagree on a value.
    expect(report.sources.some((s) => s.sourceId === 'cdr')).toBe(true);
    const text = await quality(config, false);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Source lis \(LIS \(HL7 v2 MLLP\)\) FAILED:\n {2}unreachable: .*refused/m);
  }, 300_000);

  it('the CDR hanging: its timeout is named, and the patient its care records would admit is reported as not opened, not as clean; exit 1', async () => {
    hospital!.fhir.faults.set({ hang: true });
    try {
      const { code, stdout } = await quality(writeConfig('cdr-hang.json'), true);
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as QualityRun;
      expect(report.failedSources.map((s) => s.sourceId)).toContain('cdr');
      expect(report.failedSources.find((s) => s.sourceId === 'cdr')!.reasons.map((r) => r.code)).toContain('timeout');
      expect(report.complete).toBe(false);
      // Whatever became of the query (no match without the CDR, or a person this doctor's care could not be shown for), it is no clean check.
      expect(report.queries.every((q) => q.outcome !== 'no-match')).toBe(true);
    } finally {
      hospital!.fhir.faults.reset();
    }
  }, 300_000);

  it('every source down: each named as unreachable, no patient counted as clean, the query not called a "no match"; exit 1', async () => {
    const config = writeConfig('all-down.json');
    await hospital!.stop();
    hospital = undefined;
    const text = await huizhen('quality', '--config', config, '--user', 'doctor', '--patients', patients);
    expect(text.code).toBe(1);
    // The LIS answers no search (results only): with no patient reached it was never asked, and says so.
    expect(text.stdout).toMatch(/^INCOMPLETE: 3 sources failed/m);
    expect(text.stdout).toMatch(/^Source lis \(LIS \(HL7 v2 MLLP\)\) NOT CHECKED/m);
    for (const id of ['cdr', 'his', 'emr-platform'])
      expect(text.stdout).toMatch(new RegExp(`^Source ${id} \\(.*\\) FAILED:\\n {2}unreachable`, 'm'));
    expect(text.stdout).toContain(`skipped "${DEMO_PATIENT.nameHanzi}": no patient found, but a source failed during the search`);
    expect(text.stdout).not.toMatch(/^No findings\.$/m);
    const json = await huizhen('quality', '--config', config, '--user', 'doctor', '--patients', patients, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as QualityRun;
    expect(report).toMatchObject({
      complete: false,
      patientsChecked: 0,
      skipped: [{ query: DEMO_PATIENT.nameHanzi, outcome: 'search-failed' }],
    });
    expect(report.failedSources.map((s) => s.sourceId)).toEqual(['cdr', 'emr-platform', 'his']);
    expect(report.notChecked).toEqual([{ sourceId: 'lis', name: 'LIS (HL7 v2 MLLP)' }]);
    for (const s of report.failedSources) expect(s.reasons.map((r) => r.code)).toContain('unreachable');
  }, 300_000);
});
