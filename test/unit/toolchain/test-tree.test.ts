import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

/** Tests about the repository itself, not about one src folder. */
const TOOLCHAIN = 'toolchain';
/** Data folders beside the tests that read them; they mirror nothing. */
const SUPPORT_FOLDER = 'fixtures';

function filesUnder(abs: string): string[] {
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(abs, entry.name)) : [join(abs, entry.name)],
  );
}

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Files under test/unit (paths relative to it) whose folder has no counterpart under src/:
 * a test of src/a/b/c.ts belongs in test/unit/a/b/. Every test belongs to some src folder, so a
 * file at the top of test/unit is misplaced too.
 */
export function misplacedUnitFiles(repository: string): string[] {
  const unit = join(repository, 'test', 'unit');
  return filesUnder(unit)
    .map((abs) => relative(unit, abs).split('\\').join('/'))
    .filter((file) => {
      const folders = dirname(file).split('/');
      if (folders[0] === TOOLCHAIN) return false;
      const mirrored = folders.slice(0, folders.includes(SUPPORT_FOLDER) ? folders.indexOf(SUPPORT_FOLDER) : undefined);
      if (mirrored.length === 0 || mirrored[0] === '.') return true;
      return !isFolder(join(repository, 'src', ...mirrored));
    })
    .sort();
}

describe('the unit test tree mirrors src', () => {
  it('puts every unit test in the folder that mirrors the src folder it tests', () => {
    expect(misplacedUnitFiles(root), 'move each file to test/unit/<the src folder it tests>/ (docs/architecture.md)').toEqual([]);
  });

  const planted = mkdtempSync(join(tmpdir(), 'huizhen-test-tree-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));
  const plant = (path: string): void => {
    mkdirSync(dirname(join(planted, path)), { recursive: true });
    writeFileSync(join(planted, path), '');
  };

  it('flags a test in a folder src does not have, and a test at the top of test/unit', () => {
    mkdirSync(join(planted, 'src', 'main', 'services', 'access'), { recursive: true });
    plant('test/unit/main/services/access/break-glass.test.ts');
    plant('test/unit/main/services/access/fixtures/grants.json');
    plant('test/unit/toolchain/layer-rule.test.ts');
    plant('test/unit/worklist/ward-worklist.test.ts');
    plant('test/unit/services/access/break-glass.test.ts');
    plant('test/unit/stray.test.ts');

    expect(misplacedUnitFiles(planted)).toEqual(['services/access/break-glass.test.ts', 'stray.test.ts', 'worklist/ward-worklist.test.ts']);
  });
});
