import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

describe('one Node for everything', () => {
  it('tests run on the Node major Electron 45 embeds (24), supplied by the node@24 devDependency', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
    expect(pkg.devDependencies.node).toMatch(/^\^?24\./);
    expect(pkg.engines.node).toContain('>=24');
  });

  it('node:sqlite is built in (the cache needs no native module to rebuild)', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(':memory:');
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    db.close();
  });

  it('the desktop shell targets Electron 45', () => {
    expect(pkg.devDependencies.electron).toMatch(/^\^?45\./);
  });
});
