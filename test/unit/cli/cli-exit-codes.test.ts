/**
 * Every CLI path maps each failure to its documented exit code (README, "The huizhen CLI"),
 * with one line and no stack trace — above all a cache passphrase that does not open the cache,
 * which used to end in "unexpected failure" and exit 70.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFailureOf } from '../../../src/cli/cli-failure.ts';
import { CliError, EXIT } from '../../../src/cli/cli-error.ts';
import { credentialsSet, openCredentialVaultForCli } from '../../../src/cli/commands/credentials.ts';
import { runCli } from '../../../src/cli/main.ts';
import { AuditError } from '../../../src/main/services/audit/index.ts';
import { CacheError, createPassphraseKeyProtector } from '../../../src/main/services/cache/index.ts';
import { ConfigError, loadConfigFile } from '../../../src/main/services/config/index.ts';
import { CredentialError } from '../../../src/main/services/credentials/index.ts';
import { CacheSetupError, openConfiguredCache } from '../../../src/main/services/cache-setup/index.ts';

/** An environment variable of this file's own: test files may share one process. */
const PASS_ENV = 'HUIZHEN_TEST_CLI_EXIT_PASSPHRASE';
const RIGHT = 'the right passphrase';
let configFile: string;
let noPassphraseConfig: string;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

async function cli(passphrase: string | undefined, ...argv: string[]) {
  const c = capture();
  if (passphrase === undefined) delete process.env[PASS_ENV];
  else process.env[PASS_ENV] = passphrase;
  const code = await runCli(argv, c.io);
  return { code, err: c.err.join('\n'), out: c.out.join('\n') };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'huizhen-cli-exit-'));
  const sources = [
    {
      id: 'cdr',
      name: 'CDR',
      kind: 'fhir',
      baseUrl: 'http://127.0.0.1:9/fhir',
      auth: { type: 'basic', username: 'ws', passwordRef: 'cdr.password' },
    },
  ];
  configFile = join(dir, 'hospital.json');
  writeFileSync(configFile, JSON.stringify({ sources, cache: { directory: join(dir, 'cache'), passphraseEnv: PASS_ENV } }));
  noPassphraseConfig = join(dir, 'no-passphrase.json');
  writeFileSync(
    noPassphraseConfig,
    JSON.stringify({ sources, cache: { directory: join(dir, 'cache'), passphraseEnv: `${PASS_ENV}_UNSET` } }),
  );
  // The cache exists, sealed under RIGHT.
  const config = await loadConfigFile(configFile);
  (await openConfiguredCache(config.cache, () => createPassphraseKeyProtector(RIGHT, { log2Cost: 10 })))!.close();
});
afterAll(() => {
  delete process.env[PASS_ENV];
});

describe('a wrong or missing cache passphrase, command by command', () => {
  it('audit verify and audit list exit 6 (the audit log cannot be checked), in one line', async () => {
    for (const command of [
      ['audit', 'verify'],
      ['audit', 'list'],
    ]) {
      const r = await cli('a wrong passphrase', ...command, '--config', configFile);
      expect(r.code).toBe(EXIT.auditCannotVerify);
      expect(r.err).toMatch(/^huizhen: the audit log cannot be opened: /);
      expect(r.err).not.toMatch(/unexpected failure|\n\s+at /);
      const unset = await cli(undefined, ...command, '--config', noPassphraseConfig);
      expect(unset.code).toBe(EXIT.auditCannotVerify);
      expect(unset.err).toContain(`${PASS_ENV}_UNSET is not set`);
    }
  });

  it('credentials list and remove exit 9 (the vault cannot be read)', async () => {
    for (const command of [
      ['credentials', 'list'],
      ['credentials', 'remove', 'cdr.password'],
    ]) {
      const r = await cli('a wrong passphrase', ...command, '--config', configFile);
      expect(r.code).toBe(EXIT.vaultFailed);
      expect(r.err).toMatch(/^huizhen: the credential vault cannot be opened: /);
      expect((await cli(undefined, ...command, '--config', noPassphraseConfig)).code).toBe(EXIT.vaultFailed);
    }
  });

  it('credentials set exits 9 too (the secret is read first, then the vault will not open)', async () => {
    process.env[PASS_ENV] = 'a wrong passphrase';
    const config = await loadConfigFile(configFile);
    const failure = await credentialsSet(
      config,
      capture().io,
      'cdr.password',
      () => Promise.resolve('s3cret'),
      () => openCredentialVaultForCli(config),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).exitCode).toBe(EXIT.vaultFailed);
  });

  it("sources check exits 9 when the vault holding a source's password will not open", async () => {
    const r = await cli('a wrong passphrase', 'sources', 'check', '--config', configFile);
    expect(r.code).toBe(EXIT.vaultFailed);
  });

  it('timeline exits 2 (configuration: the passphrase does not open the cache), not 70', async () => {
    process.env.HUIZHEN_PASSWORD = 'irrelevant';
    const r = await cli('a wrong passphrase', 'timeline', '--config', configFile, '--user', 'doctor', '--patient', 'H1');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/^huizhen: the encrypted cache cannot be opened: /);
    expect((await cli(undefined, 'timeline', '--config', noPassphraseConfig, '--user', 'doctor', '--patient', 'H1')).code).toBe(EXIT.usage);
    delete process.env.HUIZHEN_PASSWORD;
  });

  it('with the right passphrase the same commands run (exit 1: the referenced credential is missing)', async () => {
    const r = await cli(RIGHT, 'credentials', 'list', '--config', configFile);
    expect(r.code).toBe(EXIT.sourcesFailed);
    expect(r.out).toContain('MISSING  cdr.password');
  });
});

describe('the table from typed errors to exit codes', () => {
  const codeOf = (error: unknown, use: 'audit' | 'credentials' | 'workstation') => cliFailureOf(error, use)?.exitCode;

  it('names each documented code for the typed errors of the cache, vault, audit log and configuration', () => {
    const wrongKey = new CacheError('wrong-key', 'x');
    expect([codeOf(wrongKey, 'audit'), codeOf(wrongKey, 'credentials'), codeOf(wrongKey, 'workstation')]).toEqual([6, 9, 2]);
    expect(codeOf(new CacheSetupError('unset'), 'audit')).toBe(6);
    expect(codeOf(new ConfigError('hospital.json', ['x']), 'workstation')).toBe(2);
    expect(codeOf(new CredentialError('missing-ref', 'x'), 'workstation')).toBe(1);
    expect(codeOf(new CredentialError('invalid-input', 'x'), 'credentials')).toBe(2);
    expect(codeOf(new CredentialError('tampered', 'x'), 'workstation')).toBe(9);
    expect(codeOf(new AuditError('tampered', 'x'), 'workstation')).toBe(5);
    expect(codeOf(new AuditError('wrong-keys', 'x'), 'workstation')).toBe(6);
    expect(codeOf(new CliError('x', 3), 'workstation')).toBe(3);
  });

  it('leaves untyped failures (bugs) to the caller, which exits 70', () => {
    expect(cliFailureOf(new RangeError('Maximum call stack size exceeded'), 'workstation')).toBeUndefined();
    expect(EXIT.internal).toBe(70);
  });
});
