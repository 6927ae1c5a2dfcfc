import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';

const root = join(import.meta.dirname, '..', '..');

/** Runs scripts/start.ts to its exit; its output and exit code. */
function runStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.ts')], {
      cwd: root,
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', HUIZHEN_DEMO_PACS: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm start with a cache it cannot open', () => {
  it('a wrong cache passphrase is one line on stderr and exit 2, not an uncaught CacheError with a stack trace', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'huizhen-start-')), 'cache');
    (
      await openCacheStore({ directory, protector: createPassphraseKeyProtector('the passphrase it was made with', { log2Cost: 10 }) })
    ).close();
    const r = await runStart({ HUIZHEN_DEMO_CACHE_DIR: directory, HUIZHEN_CACHE_PASSPHRASE: 'another passphrase' });
    expect(r.code).toBe(2);
    // The demo IdP (oidc-provider) may print its own development warning; ours is one line.
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('oidc-provider WARNING'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^huizhen: the encrypted cache cannot be opened: .*set that one, or delete /);
    expect(r.stderr).not.toMatch(/CacheError|\n\s+at |node:internal/);
  }, 60_000);
});
