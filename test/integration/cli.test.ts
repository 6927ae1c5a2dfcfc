import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { loadConfigFile } from '../../src/main/services/config/load-config.ts';
import { openConfiguredCache } from '../../src/main/services/cache-setup/index.ts';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'huizhen.mjs');
let hospital: DemoHospital;
let configFile: string;

/** The real `huizhen` executable in a child process, as hospital IT runs it. */
async function huizhen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return huizhenWith({}, ...args);
}

async function huizhenWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      timeout: 30_000,
      env: { ...process.env, HUIZHEN_PASSWORD: 'huizhen-demo', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  hospital = await startDemoHospital();
  configFile = join(mkdtempSync(join(tmpdir(), 'huizhen-cli-')), 'hospital.json');
  writeFileSync(configFile, JSON.stringify(hospital.config));
});
afterAll(async () => hospital.stop());

describe('huizhen CLI against the demo hospital', () => {
  it('sources check probes the FHIR server: reachable, version, latency, auth', async () => {
    const { code, stdout } = await huizhen('sources', 'check', '--config', configFile);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok {4}cdr \(fhir\) CDR \(FHIR R4\): reachable, \d+ ms, FHIR 4\.0\.1.*, auth ok/m);
  });

  it('sources check exits 1 and says why when a source is down', async () => {
    const down = join(mkdtempSync(join(tmpdir(), 'huizhen-cli-')), 'down.json');
    writeFileSync(
      down,
      JSON.stringify({
        sources: [
          { id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: 'http://127.0.0.1:9/fhir', resilience: { timeoutMs: 2000, retries: 0 } },
        ],
      }),
    );
    const { code, stdout } = await huizhen('sources', 'check', '--config', down);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL {2}cdr \(fhir\) CDR: (unreachable|.*refused)/m);
  });

  it('timeline prints the merged record of one patient with the source of each entry', async () => {
    const { code, stdout } = await huizhen('timeline', '--config', configFile, '--user', 'doctor', '--patient', DEMO_PATIENT.mrn);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toContain('张伟');
    expect(stdout).toMatch(/Timeline \(\d+ entries, newest first\)/);
    expect(stdout).toMatch(/observation .*CDR \(FHIR R4\) · FHIR/);
    expect(stdout).toMatch(/observation .*LIS \(HL7 v2 MLLP\) · ORF\^R04/);
  });

  it('timeline --json gives FHIR resources plus entries with provenance', async () => {
    const { code, stdout } = await huizhen(
      'timeline',
      '--config',
      configFile,
      '--user',
      'doctor',
      '--patient',
      DEMO_PATIENT.residentId,
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.patient.displayName).toBe('张伟');
    expect(out.bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(out.bundle.entry.length).toBeGreaterThan(20);
    const refs = new Set(out.bundle.entry.map((e: { fullUrl: string }) => e.fullUrl));
    const configured = new Set(hospital.config.sources.map((s) => s.id));
    for (const entry of out.timeline) {
      for (const p of entry.provenance) expect(configured.has(p.sourceId)).toBe(true);
      expect(refs.has(entry.resourceRef)).toBe(true);
      expect(entry.resource).toBeUndefined();
    }
  });

  it('shows each role what it may see: the nurse gets no notes or images and a masked 身份证; the administrator nothing', async () => {
    const nurse = await huizhen('timeline', '--config', configFile, '--user', 'nurse', '--patient', DEMO_PATIENT.residentId, '--json');
    expect(nurse.code).toBe(0);
    const out = JSON.parse(nurse.stdout);
    expect(out.access).toMatchObject({ basis: 'ward', masked: true });
    const types = new Set(out.bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType));
    for (const type of ['DocumentReference', 'Composition', 'ImagingStudy']) expect(types.has(type)).toBe(false);
    expect(nurse.stdout).not.toContain(DEMO_PATIENT.residentId);
    const admin = await huizhen('timeline', '--config', configFile, '--user', 'admin', '--patient', DEMO_PATIENT.residentId);
    expect(admin.code).toBe(8);
    expect(admin.stderr).toMatch(/may not read patient records/);
    const wrong = await huizhenWith(
      { HUIZHEN_PASSWORD: 'not-it' },
      'timeline',
      '--config',
      configFile,
      '--user',
      'doctor',
      '--patient',
      DEMO_PATIENT.mrn,
    );
    expect(wrong.code).toBe(7);
    const anonymous = await huizhen('timeline', '--config', configFile, '--patient', DEMO_PATIENT.mrn);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('--user NAME is required');
  });

  it('refuses to guess between several patients (exit 3) and lists them', async () => {
    // A family name two synthetic patients share, whatever the seed made.
    const families = hospital.data.resources.flatMap((r) => (r.resourceType === 'Patient' ? [r.name?.[0]?.family ?? ''] : []));
    const shared = families.find((f, i) => f && families.indexOf(f) !== i);
    expect(shared).toBeDefined();
    const { code, stderr } = await huizhen('timeline', '--config', configFile, '--user', 'doctor', '--patient', shared!);
    expect(code).toBe(3);
    expect(stderr).toMatch(/matches \d+ patients; be more specific/);
    const none = await huizhen('timeline', '--config', configFile, '--user', 'doctor', '--patient', 'NO-SUCH-MRN-999');
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no patient matches');
  });

  it('a wrong cache passphrase: audit verify exits 6, credentials list 9, timeline 2 — one line each, never 70 or a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huizhen-cli-'));
    const cached = join(dir, 'cached.json');
    writeFileSync(cached, JSON.stringify({ ...hospital.config, cache: { directory: join(dir, 'cache') } }));
    const config = await loadConfigFile(cached);
    (await openConfiguredCache(config.cache, () => createPassphraseKeyProtector('the right one', { log2Cost: 10 })))!.close();
    const wrong = { HUIZHEN_CACHE_PASSPHRASE: 'not the right one' };
    const cases = [
      [['audit', 'verify', '--config', cached], 6],
      [['credentials', 'list', '--config', cached], 9],
      [['timeline', '--config', cached, '--user', 'doctor', '--patient', DEMO_PATIENT.mrn], 2],
    ] as const;
    for (const [args, exit] of cases) {
      const r = await huizhenWith(wrong, ...args);
      expect(r.code).toBe(exit);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/cannot be opened: /);
      expect(r.stderr).not.toMatch(/unexpected failure|CacheError|\n\s+at /);
    }
  });
});
