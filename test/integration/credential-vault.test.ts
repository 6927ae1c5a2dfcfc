import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsSet, readSecretFromStdin } from '../../src/cli/commands/credentials.ts';
import { startFhirServer, type DemoFhirServer } from '../../src/demo-hospital/fhir-server/fhir-server.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { loadConfigFile } from '../../src/main/services/config/load-config.ts';
import { credentialsFileOf } from '../../src/main/services/credentials/credential-vault.ts';
import { openCacheCredentialVault, withResolvedCredentials } from '../../src/main/services/credentials/index.ts';
import { createWorkstation } from '../../src/main/composition/index.ts';
import { openConfiguredCache } from '../../src/main/services/cache-setup/index.ts';

const USERNAME = 'huizhen-ws';
const PASSWORD = 'Cdr-B4sic-2026!';
const BASIC = Buffer.from(`${USERNAME}:${PASSWORD}`, 'utf8').toString('base64');
let server: DemoFhirServer;
let dir: string;

beforeAll(async () => {
  const data = generateSyntheticHospital({ seed: 5, chinesePatients: 2 });
  server = await startFhirServer({ resources: data.resources, auth: { type: 'basic', username: USERNAME, password: PASSWORD } });
  dir = await mkdtemp(join(tmpdir(), 'huizhen-credentials-'));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Every file under `root`, recursively (the cache directory, its WAL and blobs). */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('credential vault end to end: FHIR basic auth by passwordRef', () => {
  it('stores the password through the CLI, resolves it in main, and the CDR accepts it; no file holds it in the clear', async () => {
    const cacheDir = join(dir, 'cache');
    const configFile = join(dir, 'huizhen.yaml');
    await writeFile(
      configFile,
      [
        'sources:',
        '  - id: cdr',
        '    name: CDR (FHIR R4)',
        '    kind: fhir',
        `    baseUrl: ${server.baseUrl}`,
        '    auth: { type: basic, username: huizhen-ws, passwordRef: cdr.password }',
        'cache:',
        `  directory: ${cacheDir}`,
        '',
      ].join('\n'),
    );
    const config = await loadConfigFile(configFile);
    const protector = createPassphraseKeyProtector('credential vault test', { log2Cost: 10 });
    const cache = (await openConfiguredCache(config.cache, () => protector))!;

    // Before the secret is stored, the workstation cannot be built and is told which one is missing.
    await expect(withResolvedCredentials(config, cache)).rejects.toThrow(
      /source "cdr" auth\.passwordRef "cdr\.password".*huizhen credentials set cdr\.password/,
    );

    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const stdin = Readable.from([`${PASSWORD}\n`]) as unknown as NodeJS.ReadStream;
    await credentialsSet(
      config,
      io,
      'cdr.password',
      () => readSecretFromStdin(stdin),
      () => openCacheCredentialVault(cache, cacheDir),
    );
    expect(out).toEqual(['stored  cdr.password  used by cdr (auth.passwordRef)']);

    const resolved = await withResolvedCredentials(config, cache);
    const workstation = await createWorkstation(resolved, { cache });
    try {
      const [probe] = await workstation.probeSources();
      expect(probe?.result).toMatchObject({ reachable: true, authOk: true });
      const { candidates } = await workstation.handlers.searchPatients({ query: DEMO_PATIENT.mrn });
      expect(candidates.some((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))).toBe(true);
      const open = await workstation.handlers.openPatient({ refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }] });
      expect(open.entries.length).toBeGreaterThan(0);
      expect(server.requests.length).toBeGreaterThan(2);
      expect(server.requests.every((r) => r.authorization === `Basic ${BASIC}`)).toBe(true);
    } finally {
      await workstation.close();
    }

    const vaultFile = credentialsFileOf(cacheDir);
    expect((await stat(vaultFile)).mode & 0o777).toBe(0o600);
    for (const file of [configFile, vaultFile, ...(await filesUnder(cacheDir))]) {
      const bytes = await readFile(file);
      for (const form of [PASSWORD, BASIC, Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('hex')]) {
        expect(bytes.includes(Buffer.from(form, 'utf8')), `${file} holds the password (${form})`).toBe(false);
      }
    }
  });
});
