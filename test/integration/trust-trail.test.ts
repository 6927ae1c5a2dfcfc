import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import { passphraseProtectorFromEnv } from '../../src/main/services/cache-setup/index.ts';
import type { HuizhenConfigInput } from '../../src/shared/config/schema.ts';

/**
 * The whole trust path as the hosts compose it, against the demo hospital and Orthanc: every
 * access lands in the sealed, chained audit log; `huizhen audit verify` proves it intact and
 * names the line once a byte is changed; exports leave the workstation de-identified.
 */
let hospital: DemoHospital;
let home: string;
let configFile: string;
const PASSPHRASE_ENV = 'HUIZHEN_TRUST_TEST_PASSPHRASE';

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({
    code,
    out: out.join('\n'),
    err: err.join('\n'),
  }));
}

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: 'small' });
  if (hospital.notices.length > 0) throw new Error(hospital.notices.join('; '));
  home = mkdtempSync(join(tmpdir(), 'huizhen-trust-'));
  process.env[PASSPHRASE_ENV] = 'trust trail test passphrase';
  const input: HuizhenConfigInput = {
    ...hospital.config,
    cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: PASSPHRASE_ENV },
  };
  configFile = join(home, 'hospital.json');
  writeFileSync(configFile, JSON.stringify(input));
}, 180_000);
afterAll(async () => {
  await hospital?.stop();
});

describe('audit trail and de-identified exports, as the hosts compose them', () => {
  let studyFiles: string[] = [];
  let bundleText = '';

  it('records every access, sealed; exports carry no direct identifier', async () => {
    const config = parseConfig(JSON.parse(readFileSync(configFile, 'utf8')));
    const { workstation, api } = await composeWorkstation(config, { protector: () => passphraseProtectorFromEnv(config.cache!) });
    try {
      await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
      const opened = await api.handlers.openPatient({ refs: candidates[0]!.refs });
      const doc = opened.entries.find((e) => e.kind === 'document')!;
      await api.handlers.recordView({ viewId: opened.viewId, entryId: doc.id });
      const timeline = await api.handlers.exportDeidentified({ viewId: opened.viewId, kind: 'timeline' });
      expect(timeline).toMatchObject({ files: 1, failures: [] });
      bundleText = readFileSync(join(timeline.directory, 'timeline.fhir.json'), 'utf8');
      const study = opened.entries.find((e) => e.kind === 'imaging' && e.resource.id)!;
      const exported = await api.handlers.exportDeidentified({
        viewId: opened.viewId,
        kind: 'study',
        studyInstanceUid: study.resource.id!,
      });
      expect(exported.failures).toEqual([]);
      expect(exported.files).toBeGreaterThan(0);
      studyFiles = readdirSync(exported.directory).map((f) => join(exported.directory, f));
      await api.handlers.signOut({});
    } finally {
      await workstation.close();
    }
  }, 120_000);

  it('the study export holds no name, patient id or original study UID, in any byte', () => {
    expect(studyFiles.length).toBeGreaterThan(0);
    for (const file of studyFiles) {
      const bytes = readFileSync(file);
      const latin = bytes.toString('latin1');
      for (const secret of ['P10000001', 'Zhang^Wei', 'ZHANG^WEI', '19680312'])
        expect(latin.includes(secret), `${secret} in ${file}`).toBe(false);
      expect(bytes.includes(Buffer.from('张伟', 'utf8')), `张伟 in ${file}`).toBe(false);
      expect(latin).toContain('YES');
    }
  });

  it('the FHIR timeline export holds no name, 身份证 or MRN', () => {
    expect(bundleText.length).toBeGreaterThan(1000);
    for (const secret of [
      '张伟',
      'Zhang Wei',
      DEMO_PATIENT.residentId,
      DEMO_PATIENT.mrn,
      DEMO_PATIENT.fhirId,
      'H1000001',
      'L202500001',
      'P10000001',
    ]) {
      expect(bundleText.includes(secret), secret).toBe(false);
    }
  });

  it('`huizhen audit list` shows each access in order; `audit verify` passes, then names the line a byte changed in', async () => {
    const listed = await cli('audit', 'list', '--config', configFile, '--json');
    expect(listed.code).toBe(0);
    const events = (JSON.parse(listed.out) as { events: { event: { action: string; user?: { id: string } } }[] }).events.map(
      (r) => r.event,
    );
    expect(events.map((e) => e.action).join(',')).toEqual(
      'config-change,login,patient-search,patient-open,document-view,export,export,logout',
    );
    expect(events.slice(1).every((e) => e.user?.id === 'local:doctor')).toBe(true);
    // Sealed: nothing on disk names the patient.
    const directory = join(home, 'cache-audit');
    const raw = readFileSync(join(directory, 'audit.jsonl'), 'utf8');
    for (const secret of [DEMO_PATIENT.residentId, DEMO_PATIENT.fhirId, '张伟']) expect(raw.includes(secret)).toBe(false);

    const ok = await cli('audit', 'verify', '--config', configFile);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ok .* 8 events/);

    const lines = raw.split('\n');
    const fourth = JSON.parse(lines[3]!) as { body: string };
    const flipped = fourth.body.slice(0, 10) + (fourth.body[10] === 'A' ? 'B' : 'A') + fourth.body.slice(11);
    lines[3] = lines[3]!.replace(fourth.body, flipped);
    writeFileSync(join(directory, 'audit.jsonl'), lines.join('\n'));
    const tampered = await cli('audit', 'verify', '--config', configFile);
    expect(tampered.code).toBe(5);
    expect(tampered.out + tampered.err).toMatch(/line 4/);
  }, 60_000);
});
