// Builds the renderer (vite build) unless its inputs are the same as at its last build: a warm
// `npm start` then skips the build's seconds. The inputs' hash is kept beside the output.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the renderer bundle is made from: its code, the shared types, the build config and the locked packages. */
const INPUTS = ['src/renderer', 'src/shared', 'vite.config.ts', 'tsconfig.base.json', 'tsconfig.renderer.json', 'package-lock.json'];
const STAMP = '.build-inputs';

/** The files an input names: itself, every file under it, or none when it does not exist. */
function filesOf(root: string, input: string): string[] {
  const full = join(root, input);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [input];
  const entries = readdirSync(full, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

/** One hash over every input file's path and content: any edit, addition or removal changes it. */
export function rendererInputsHash(root: string, inputs: readonly string[] = INPUTS): string {
  const hash = createHash('sha256');
  const files = inputs.flatMap((input) => filesOf(root, input));
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when `outDir` holds a build made from exactly these inputs. */
export function rendererBuildIsCurrent(outDir: string, inputsHash: string): boolean {
  const stamp = join(outDir, STAMP);
  return existsSync(join(outDir, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === inputsHash;
}

if (import.meta.main) {
  const root = join(import.meta.dirname, '..');
  const outDir = join(root, 'dist-renderer');
  const inputsHash = rendererInputsHash(root);
  if (rendererBuildIsCurrent(outDir, inputsHash)) {
    console.log("huizhen: the workstation's screens are already built from this code");
  } else {
    console.log("huizhen: building the workstation's screens…");
    const build = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
    writeFileSync(join(outDir, STAMP), `${inputsHash}\n`);
  }
}
