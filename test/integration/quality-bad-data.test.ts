/**
 * The demo hospital's bad-data mode against `huizhen quality` and the access-checked API, over
 * real sockets: every injected defect is reported, and nothing where none was injected; the
 * 身份证 findings (computed on Patient records, which have no timeline entry) reach the API; a
 * mapping the hospital configures removes the unmapped-code finding and shows as used.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectedDefect } from '../../src/demo-hospital/bad-data/injected-defects.ts';
import { DEMO_PASSWORD, demoLocalAccounts } from '../../src/demo-hospital/identity-provider/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { createRolePolicy } from '../../src/main/services/access/role-policy.ts';
import { createSecuredApi, type SecuredApi } from '../../src/main/services/access/secured-api.ts';
import { dispatchApiCall } from '../../src/main/services/api/index.ts';
import { createLocalSignIn } from '../../src/main/services/auth/local-accounts.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPrivacyMasking } from '../../src/main/services/privacy/index.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import { AccessConfigSchema } from '../../src/shared/config/access.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../src/shared/config/privacy.ts';
import { QualityCodeSchema, type QualityFinding } from '../../src/shared/domain/quality.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'huizhen.mjs');
let hospital: DemoHospital;
let dir: string;
let patientsFile: string;
let manifest: InjectedDefect[];

async function huizhen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      timeout: 120_000,
      env: { ...process.env, HUIZHEN_PASSWORD: DEMO_PASSWORD },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface Report {
  patientsChecked: number;
  skipped: unknown[];
  sources: {
    sourceId: string;
    findings: number;
    byCode: Record<string, number>;
    topUnmappedCodes: { system: string; code: string; count: number }[];
  }[];
}

function countsOf(defects: readonly InjectedDefect[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of defects) out[d.code] = (out[d.code] ?? 0) + 1;
  return out;
}

function writeConfig(name: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ ...hospital.config, ...extra }));
  return file;
}

beforeAll(async () => {
  hospital = await startDemoHospital({ badData: true });
  manifest = hospital.badData!.manifest;
  dir = mkdtempSync(join(tmpdir(), 'huizhen-bad-data-'));
  patientsFile = join(dir, 'patients.txt');
  writeFileSync(patientsFile, `${hospital.badData!.patients.map((p) => p.mrn).join('\n')}\n`);
}, 120_000);
afterAll(async () => hospital?.stop());

describe('huizhen quality against the demo hospital’s injected defects', () => {
  it('reports every injected defect and nothing else: per source, per kind, the unmapped code by name', async () => {
    const { code, stdout, stderr } = await huizhen(
      'quality',
      '--config',
      writeConfig('hospital.json'),
      '--user',
      'doctor',
      '--patients',
      patientsFile,
      '--json',
    );
    expect(stderr).not.toMatch(/unexpected/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.patientsChecked).toBe(hospital.badData!.patients.length);
    // Every kind the checks know is injected somewhere, value conflicts aside (they need two systems).
    // Not injected: partial answers (a platform's warnings: hl7v3-answer-warnings.test.ts) and unreadable
    // records (a record of the wrong shape: unreadable-record.test.ts, readable-patient.test.ts).
    expect(new Set(manifest.map((d) => d.code))).toEqual(
      new Set(QualityCodeSchema.options.filter((c) => c !== 'value-conflict' && c !== 'partial-answer' && c !== 'unreadable-record')),
    );
    expect(report.skipped).toEqual([]);
    const unmapped = manifest.filter((d) => d.code === 'unmapped-code');
    expect(report.sources).toEqual([
      {
        sourceId: 'cdr',
        name: 'CDR (FHIR R4)',
        findings: manifest.length,
        byCode: countsOf(manifest),
        topUnmappedCodes: unmapped.map((d) => ({ system: d.params!.system, code: d.params!.code, count: 1 })),
      },
    ]);
  }, 180_000);

  it('with the local code mapped in the configuration, the unmapped-code finding is gone and the rest stay', async () => {
    const local = manifest.find((d) => d.code === 'unmapped-code')!;
    const file = writeConfig('mapped.json', { mappings: { labCodes: [{ code: local.params!.code, loinc: '2345-7' }] } });
    const { code, stdout } = await huizhen('quality', '--config', file, '--user', 'doctor', '--patients', patientsFile, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    const rest = manifest.filter((d) => d.code !== 'unmapped-code');
    expect(report.sources).toEqual([
      { sourceId: 'cdr', name: 'CDR (FHIR R4)', findings: rest.length, byCode: countsOf(rest), topUnmappedCodes: [] },
    ]);
  }, 180_000);
});

describe('the findings through the access-checked API', () => {
  let core: Workstation;
  const signIn = createLocalSignIn(demoLocalAccounts());
  const securedApi = (): SecuredApi =>
    createSecuredApi({
      core,
      methods: { local: (u, p) => signIn.signIn(u, p) },
      idleLockMinutes: 10,
      sessionMaxHours: 12,
      policy: createRolePolicy(),
      access: AccessConfigSchema.parse({ careWindowDays: 3650 }),
      audit: async () => {},
      masking: createPrivacyMasking(DEFAULT_PRIVACY_CONFIG),
    });
  beforeAll(async () => {
    const local = manifest.find((d) => d.code === 'unmapped-code')!;
    // A configured unit spelling the CDR does not use, and none for the local code: it stays unmapped here.
    core = await createWorkstation(parseConfig({ ...hospital.config, mappings: { units: [{ spelling: '毫摩每升', ucum: 'mmol/L' }] } }));
    expect(local.sourceId).toBe('cdr');
  });
  afterAll(async () => core?.close());

  const key = (record: string, f: Pick<QualityFinding, 'code' | 'field' | 'params'>) =>
    JSON.stringify([record, f.code, f.field, f.params ?? {}]);

  it('each patient’s entries carry exactly its injected defects, and the 身份证 findings come with the open (openPatient.quality)', async () => {
    const api = securedApi();
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    for (const p of hospital.badData!.patients) {
      const { candidates } = await api.handlers.searchPatients({ query: p.mrn });
      expect(candidates, p.mrn).toHaveLength(1);
      const opened = await api.handlers.openPatient({ refs: candidates[0]!.refs });
      const found = [
        ...opened.entries.flatMap((e) => (e.quality ?? []).map((f) => key(e.id.replace(/^cdr:/, ''), f))),
        ...(opened.quality ?? []).map((f) => key(`Patient/${p.fhirId}`, f)),
      ].sort();
      const injected = manifest
        .filter((d) => d.patientMrn === p.mrn)
        .map((d) => key(d.record, d))
        .sort();
      expect(found, p.mrn).toEqual(injected);
      // Codes only: the patient's 身份证 and name are nowhere in a finding.
      expect(JSON.stringify(opened.quality ?? [])).not.toMatch(/\d{17}[\dX]|质控/);
      await api.handlers.closePatient({ viewId: opened.viewId });
    }
  }, 180_000);

  it('the mapping tables’ uses are the administrator’s to read, not a doctor’s', async () => {
    const api = securedApi();
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    expect(await dispatchApiCall(api.handlers, 'mappingUsage', {})).toMatchObject({ ok: false, status: 403 });
    await api.handlers.signOut({});
    await api.handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
    const usage = await dispatchApiCall(api.handlers, 'mappingUsage', {});
    expect(usage.ok).toBe(true);
    if (!usage.ok) return;
    const value = usage.value as { labCodes: { origin: string }[]; units: { spelling: string; origin: string; uses: number }[] };
    expect(value.units).toContainEqual({ spelling: '毫摩每升', ucum: 'mmol/L', origin: 'configured', uses: 0 });
    expect(value.labCodes.length).toBeGreaterThan(50);
    expect(value.labCodes.every((e) => e.origin === 'built-in')).toBe(true);
  });
});
