import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPassphraseKeyProtector, openCacheStore } from '../../../../../src/main/services/cache/index.ts';
import { CredentialError, openCacheCredentialVault, type CredentialVault } from '../../../../../src/main/services/credentials/index.ts';
import { credentialsFileOf, openCredentialVault } from '../../../../../src/main/services/credentials/credential-vault.ts';
import { rejectionOf } from '../../../../support/rejection.ts';

const PASSWORD = 'Zh3ngZh0u-his-p@ss';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
let dir: string;
let file: string;
const key = randomBytes(32);
const opened: CredentialVault[] = [];

async function vault(k: Uint8Array = key): Promise<CredentialVault> {
  const v = await openCredentialVault({ file, key: k, clock: () => new Date('2026-11-25T08:00:00.000Z') });
  opened.push(v);
  return v;
}

const refusal = (promise: Promise<unknown>) => rejectionOf(promise, CredentialError);

async function editFile(
  edit: (json: { secrets: Record<string, { sealed: string; updatedAt: string }>; keyCheck: string }) => void,
): Promise<void> {
  const json = JSON.parse(await readFile(file, 'utf8'));
  edit(json);
  await writeFile(file, JSON.stringify(json));
}

function flipLastByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bytes.length - 1]! ^= 0x01;
  return bytes.toString('base64');
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huizhen-vault-'));
  file = join(dir, 'cache-credentials.json');
});
afterEach(async () => {
  for (const v of opened.splice(0)) v.close();
  await rm(dir, { recursive: true, force: true });
});

describe('credential vault', () => {
  it('lies beside the cache directory', () => {
    expect(credentialsFileOf('/var/lib/huizhen/cache')).toBe('/var/lib/huizhen/cache-credentials.json');
  });

  it('round-trips secrets through the sealed file, 0600, listing names only', async () => {
    const v = await vault();
    expect(v.list()).toEqual([]);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await v.set('his-main.password', PASSWORD);
    await v.set('cdr.key', PEM);
    await v.set('pacs-token', '令牌-✓');
    expect(v.get('his-main.password')).toBe(PASSWORD);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const again = await vault();
    expect(again.list()).toEqual([
      { name: 'cdr.key', updatedAt: '2026-11-25T08:00:00.000Z' },
      { name: 'his-main.password', updatedAt: '2026-11-25T08:00:00.000Z' },
      { name: 'pacs-token', updatedAt: '2026-11-25T08:00:00.000Z' },
    ]);
    expect(again.get('cdr.key')).toBe(PEM);
    expect(again.get('pacs-token')).toBe('令牌-✓');
    expect(again.get('nope')).toBeUndefined();

    await again.set('pacs-token', 'rotated');
    expect(await again.remove('cdr.key')).toBe(true);
    expect(await again.remove('cdr.key')).toBe(false);
    const third = await vault();
    expect(third.list().map((c) => c.name)).toEqual(['his-main.password', 'pacs-token']);
    expect(third.get('pacs-token')).toBe('rotated');
  });

  it('sees changes another process made before it writes (set re-reads the file)', async () => {
    const a = await vault();
    const b = await vault();
    await a.set('one', '1');
    await b.set('two', '2');
    expect((await vault()).list().map((c) => c.name)).toEqual(['one', 'two']);
  });

  it('keeps no secret in the clear: not as text, base64 or hex', async () => {
    const v = await vault();
    await v.set('his-main.password', PASSWORD);
    await v.set('cdr.key', PEM);
    const text = await readFile(file, 'latin1');
    for (const secret of [PASSWORD, PEM, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC']) {
      const bytes = Buffer.from(secret, 'utf8');
      for (const form of [secret, bytes.toString('base64'), bytes.toString('hex')]) expect(text).not.toContain(form);
    }
    expect(text).toContain('his-main.password');
  });

  it('refuses a vault sealed under another key, saying so', async () => {
    await (await vault()).set('his-main.password', PASSWORD);
    const error = await refusal(vault(randomBytes(32)));
    expect(error.code).toBe('wrong-key');
    expect(error.message).toMatch(/another key/);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('refuses a tampered secret, naming it; a secret moved to another name; a changed date', async () => {
    const v = await vault();
    await v.set('his-main.password', PASSWORD);
    await v.set('pacs-token', 'token-1');
    const pristine = await readFile(file, 'utf8');

    await editFile((j) => (j.secrets['pacs-token']!.sealed = flipLastByte(j.secrets['pacs-token']!.sealed)));
    const error = await refusal(vault());
    expect(error.code).toBe('tampered');
    expect(error.message).toContain('credential "pacs-token" failed authentication');

    await writeFile(file, pristine);
    await editFile((j) => (j.secrets['pacs-token']!.sealed = j.secrets['his-main.password']!.sealed));
    expect((await refusal(vault())).code).toBe('tampered');

    await writeFile(file, pristine);
    await editFile((j) => (j.secrets['pacs-token']!.updatedAt = '2020-01-01T00:00:00.000Z'));
    expect((await refusal(vault())).code).toBe('tampered');

    await writeFile(file, pristine);
    await editFile((j) => (j.keyCheck = flipLastByte(j.keyCheck)));
    expect((await refusal(vault())).code).toBe('wrong-key');

    // A vault already open refuses a later damaged write path too: set re-reads and verifies.
    await writeFile(file, pristine);
    const open = await vault();
    await editFile((j) => (j.secrets['pacs-token']!.sealed = flipLastByte(j.secrets['pacs-token']!.sealed)));
    expect((await refusal(open.set('x', 'y'))).code).toBe('tampered');
  });

  it.each([
    ['not JSON', '{"format":'],
    ['another format', JSON.stringify({ format: 'something-else', version: 1, keyCheck: 'AA==', secrets: {} })],
    ['a newer version', JSON.stringify({ format: 'huizhen-credentials', version: 2, keyCheck: 'AA==', secrets: {} })],
    [
      'a bad credential name',
      JSON.stringify({
        format: 'huizhen-credentials',
        version: 1,
        keyCheck: 'AA==',
        secrets: { 'Bad Name': { sealed: 'AA==', updatedAt: '2026-11-25T08:00:00.000Z' } },
      }),
    ],
    ['a truncated key check', JSON.stringify({ format: 'huizhen-credentials', version: 1, keyCheck: 'AA==', secrets: {} })],
  ])('reports %s as a corrupt vault', async (_what, text) => {
    await writeFile(file, text);
    const error = await refusal(vault());
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(file);
  });

  it.each(['', 'Upper', '.hidden', '-dash', 'has space', '../escape', 'a/b', 'x'.repeat(65), '__proto__'])(
    'refuses the credential name %j',
    async (name) => {
      const v = await vault();
      expect((await refusal(v.set(name, 'secret'))).code).toBe('invalid-input');
    },
  );

  it('refuses an empty or oversized secret and a key that is not 32 bytes', async () => {
    const v = await vault();
    expect((await refusal(v.set('a', ''))).code).toBe('invalid-input');
    expect((await refusal(v.set('a', 'x'.repeat(64 * 1024 + 1)))).code).toBe('invalid-input');
    expect((await refusal(vault(randomBytes(16)))).code).toBe('invalid-input');
  });

  it('refuses use after close', async () => {
    const v = await vault();
    v.close();
    expect(() => v.get('a')).toThrow(CredentialError);
  });
});

describe('credential vault of a cache', () => {
  it('derives its key from the cache: the same after a master-key rotation, another for another cache', async () => {
    const cacheDir = join(dir, 'cache');
    const protector = createPassphraseKeyProtector('vault test passphrase', { log2Cost: 10 });
    const cache = await openCacheStore({ directory: cacheDir, protector });
    const v = await openCacheCredentialVault(cache, cacheDir);
    expect(v.file).toBe(join(dir, 'cache-credentials.json'));
    await v.set('his-main.password', PASSWORD);
    v.close();
    await cache.rotateMasterKey();
    const after = await openCacheCredentialVault(cache, cacheDir);
    expect(after.get('his-main.password')).toBe(PASSWORD);
    after.close();
    cache.close();

    const otherDir = join(dir, 'other');
    const other = await openCacheStore({ directory: otherDir, protector });
    try {
      // Another cache's key does not open this cache's vault file.
      expect(
        (
          await refusal(
            openCredentialVault({ file: join(dir, 'cache-credentials.json'), key: other.deriveServiceKey('huizhen-credentials/v1') }),
          )
        ).code,
      ).toBe('wrong-key');
    } finally {
      other.close();
    }
  });
});
