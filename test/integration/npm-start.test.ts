import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
let child: ChildProcess | undefined;

// The test starts scripts/start.ts, after the step of `npm start` that builds the screens.
// `npm test` builds them before Vitest; a bare `vitest run` in a fresh clone has none, and the
// workstation would answer 404: build them then, as `npm start` would.
beforeAll(async () => {
  if (existsSync(join(root, 'dist-renderer', 'index.html'))) return;
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build-renderer.ts')], { cwd: root, timeout: 600_000 });
}, 600_000);

afterAll(() => {
  child?.kill('SIGTERM');
});

/** Waits until the process has printed a line matching `pattern`; returns all output so far. */
function waitForOutput(proc: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${output}`)));
  });
}

describe('npm start', () => {
  it('without a display it says why in one line and serves the workstation in the browser host', async () => {
    child = spawn(process.execPath, [join(root, 'scripts', 'start.ts')], {
      cwd: root,
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', HUIZHEN_DEMO_PACS: 'small' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = await waitForOutput(child, /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 110_000);
    expect(output).toMatch(/demo hospital running/);
    const reason = output.split('\n').filter((l) => l.includes('desktop shell unavailable'));
    expect(reason).toHaveLength(1);
    expect(reason[0]).toContain('no display');

    const url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output)![1]!;
    const login = await fetch(url, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(new URL('/', url), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const api = (method: string, payload: unknown) =>
      fetch(new URL(`/api/${method}`, url), {
        method: 'POST',
        headers: { cookie, origin: new URL(url).origin, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    // Nothing but the session answers until someone signs in (the demo staff's password is documented).
    expect((await api('listSources', {})).status).toBe(401);
    expect((await api('signInLocal', { username: 'doctor', password: 'huizhen-demo' })).status).toBe(200);
    const sources = await api('listSources', {});
    const body = (await sources.json()) as { sources: { sourceId: string }[] };
    expect(body.sources.map((s) => s.sourceId)).toContain('cdr');

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  }, 150_000);
});
