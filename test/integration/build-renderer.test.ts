import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererBuildIsCurrent, rendererInputsHash } from '../../scripts/build-renderer.ts';

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'huizhen-build-renderer-'));
  mkdirSync(join(root, 'src', 'renderer', 'app'), { recursive: true });
  writeFileSync(join(root, 'src', 'renderer', 'app', 'App.tsx'), 'export const a = 1;\n');
  writeFileSync(join(root, 'vite.config.ts'), 'export default {};\n');
  return root;
}

describe('build-renderer: the build is skipped only when its inputs are unchanged', () => {
  it('changes the hash on an edit, an added file and a removed one, and not otherwise', () => {
    const root = project();
    const inputs = ['src/renderer', 'vite.config.ts', 'missing.json'];
    const first = rendererInputsHash(root, inputs);
    expect(rendererInputsHash(root, inputs)).toBe(first);
    writeFileSync(join(root, 'src', 'renderer', 'app', 'App.tsx'), 'export const a = 2;\n');
    const edited = rendererInputsHash(root, inputs);
    expect(edited).not.toBe(first);
    writeFileSync(join(root, 'src', 'renderer', 'app', 'New.tsx'), '');
    const added = rendererInputsHash(root, inputs);
    expect(added).not.toBe(edited);
    rmSync(join(root, 'src', 'renderer', 'app', 'New.tsx'));
    expect(rendererInputsHash(root, inputs)).toBe(edited);
    writeFileSync(join(root, 'vite.config.ts'), 'export default { base: "./" };\n');
    expect(rendererInputsHash(root, inputs)).not.toBe(edited);
    rmSync(root, { recursive: true });
  });

  it('counts a build as current only with its index.html and the same inputs stamp', () => {
    const out = mkdtempSync(join(tmpdir(), 'huizhen-dist-'));
    expect(rendererBuildIsCurrent(out, 'abc')).toBe(false);
    writeFileSync(join(out, '.build-inputs'), 'abc\n');
    expect(rendererBuildIsCurrent(out, 'abc')).toBe(false);
    writeFileSync(join(out, 'index.html'), '<!doctype html>');
    expect(rendererBuildIsCurrent(out, 'abc')).toBe(true);
    expect(rendererBuildIsCurrent(out, 'abd')).toBe(false);
    rmSync(out, { recursive: true });
  });
});
