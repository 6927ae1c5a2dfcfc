import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronRuntime = { ok: true; executable: string } | { ok: false; reason: string };

const electronDir = join(import.meta.dirname, '..', 'node_modules', 'electron');

function installedExecutable(): string | undefined {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : undefined;
}

/**
 * Whether the desktop shell can start here. Electron's npm package fetches its binary on first
 * use; where that download is impossible (no route to its host) or there is no display, the
 * caller falls back to the browser host and says why in one line.
 */
export function findElectronRuntime(): ElectronRuntime {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  let executable = installedExecutable();
  if (!executable) {
    const download = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 120_000 });
    executable = installedExecutable();
    if (!executable) {
      const why = (download.stderr || download.stdout || '').trim().split('\n').pop() ?? 'unknown error';
      return { ok: false, reason: `Electron's runtime binary is not installed and could not be downloaded (${why})` };
    }
  }
  return { ok: true, executable };
}
