import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cli-error.ts';
import {
  credentialsList,
  credentialsRemove,
  credentialsSet,
  openCredentialVaultForCli,
  readSecretFromStdin,
  resolveCliCredentials,
  type OpenCredentialVault,
} from '../../../src/cli/commands/credentials.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { parseConfig } from '../../../src/main/services/config/load-config.ts';
import { openCredentialVault } from '../../../src/main/services/credentials/credential-vault.ts';
import { rejectionOf } from '../../support/rejection.ts';

const SECRET = 'pa55-from-stdin';
let dir: string;
let openVault: OpenCredentialVault;
let lines: { out: string[]; err: string[] };
let io: CliIo;
const key = randomBytes(32);
const config = parseConfig({
  sources: [
    {
      id: 'cdr',
      name: 'CDR',
      kind: 'fhir',
      baseUrl: 'http://127.0.0.1:1/fhir',
      auth: { type: 'basic', username: 'hz', passwordRef: 'cdr.password' },
    },
    {
      id: 'pacs',
      name: 'PACS',
      kind: 'dicomweb',
      baseUrl: 'http://127.0.0.1:2/dicom-web',
      auth: { type: 'bearer', tokenRef: 'pacs.token' },
    },
  ],
});

const cliFailure = (promise: Promise<unknown>) => rejectionOf(promise, CliError);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huizhen-cli-vault-'));
  openVault = () => openCredentialVault({ file: join(dir, 'cache-credentials.json'), key });
  lines = { out: [], err: [] };
  io = { out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('huizhen credentials', () => {
  it('sets from standard input, lists names with their users and missing ones, removes', async () => {
    expect(
      await credentialsSet(
        config,
        io,
        'cdr.password',
        () => readSecretFromStdin(Readable.from([`${SECRET}\n`]) as unknown as NodeJS.ReadStream),
        openVault,
      ),
    ).toBe(0);
    expect(lines.out).toEqual(['stored  cdr.password  used by cdr (auth.passwordRef)']);
    await credentialsSet(config, io, 'spare', () => Promise.resolve('x'), openVault);
    expect(lines.err).toEqual(['note: no source in this configuration refers to "spare" yet (e.g. auth.passwordRef: spare)']);
    expect((await openVault()).get('cdr.password')).toBe(SECRET);

    lines.out = [];
    expect(await credentialsList(config, io, false, openVault)).toBe(1);
    expect(lines.out).toEqual([
      expect.stringMatching(/^cdr\.password {2}set \S+ {2}used by cdr \(auth\.passwordRef\)$/),
      expect.stringMatching(/^spare {2}set \S+ {2}not used by this configuration$/),
      'MISSING  pacs.token  needed by pacs (auth.tokenRef)',
      '2 credentials, 1 missing',
    ]);
    expect(lines.out.join('\n')).not.toContain(SECRET);

    lines.out = [];
    await credentialsList(config, io, true, openVault);
    const json = JSON.parse(lines.out.join('\n'));
    expect(json.credentials.map((c: { name: string }) => c.name)).toEqual(['cdr.password', 'spare']);
    expect(json.missing).toEqual([{ sourceId: 'pacs', field: 'auth.tokenRef', name: 'pacs.token' }]);
    expect(lines.out.join('\n')).not.toContain(SECRET);

    lines.out = [];
    expect(await credentialsRemove(config, io, 'cdr.password', openVault)).toBe(0);
    expect(lines.out).toEqual(['removed  cdr.password']);
    expect(lines.err.at(-1)).toMatch(/cdr \(auth\.passwordRef\) still refers to "cdr\.password"/);
    expect((await cliFailure(credentialsRemove(config, io, 'cdr.password', openVault))).exitCode).toBe(2);
  });

  it('checks the name before reading the secret or opening the vault', async () => {
    let read = false;
    let opened = false;
    const error = await cliFailure(
      credentialsSet(
        config,
        io,
        'Not A Name',
        () => ((read = true), Promise.resolve('x')),
        () => ((opened = true), openVault()),
      ),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"Not A Name" is not a credential name');
    expect([read, opened]).toEqual([false, false]);
    expect((await cliFailure(credentialsSet(config, io, undefined, () => Promise.resolve('x'), openVault))).exitCode).toBe(2);
  });

  it('refuses an empty secret on standard input', async () => {
    const error = await cliFailure(
      credentialsSet(
        config,
        io,
        'cdr.password',
        () => readSecretFromStdin(Readable.from(['\n']) as unknown as NodeJS.ReadStream),
        openVault,
      ),
    );
    expect(error.message).toContain('no secret on standard input');
  });

  it('reads a multi-line PEM intact, dropping only the final line break', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\r\nMIIE\r\n-----END PRIVATE KEY-----';
    expect(await readSecretFromStdin(Readable.from([Buffer.from(`${pem}\r\n`)]) as unknown as NodeJS.ReadStream)).toBe(pem);
  });

  it('turns a damaged vault into one message and exit 9', async () => {
    await credentialsSet(config, io, 'cdr.password', () => Promise.resolve(SECRET), openVault);
    const file = join(dir, 'cache-credentials.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    const check = Buffer.from(json.keyCheck, 'base64');
    check[check.length - 1]! ^= 1;
    await writeFile(file, JSON.stringify({ ...json, keyCheck: check.toString('base64') }));
    const error = await cliFailure(credentialsList(config, io, false, () => openCredentialVault({ file, key })));
    expect(error.exitCode).toBe(9);
    expect(error.message).toContain('sealed under another key');
  });

  it('resolves references for commands without the cache, exit 1 naming what is missing', async () => {
    const missing = await cliFailure(resolveCliCredentials(config, openVault));
    expect(missing.exitCode).toBe(1);
    expect(missing.message).toContain('source "cdr" auth.passwordRef "cdr.password"');
    const vault = await openVault();
    await vault.set('cdr.password', 'pw');
    await vault.set('pacs.token', 'tok');
    const resolved = await resolveCliCredentials(config, openVault);
    expect(resolved.sources.map((s) => ('auth' in s ? s.auth : undefined))).toEqual([
      { type: 'basic', username: 'hz', password: 'pw' },
      { type: 'bearer', token: 'tok' },
    ]);
    const plain = parseConfig({ sources: [{ id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: 'http://127.0.0.1:1/fhir' }] });
    expect(await resolveCliCredentials(plain, () => Promise.reject(new Error('must not open the vault')))).toBe(plain);
  });

  it('needs the cache for the vault', async () => {
    expect((await cliFailure(openCredentialVaultForCli(config))).message).toMatch(/this configuration has no cache/);
  });
});
