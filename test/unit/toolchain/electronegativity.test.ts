import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOW_LIST_PATH, scan } from '../../../scripts/electronegativity.ts';
import {
  AllowListError,
  formatReview,
  gatePasses,
  parseAllowList,
  reviewFindings,
  type AllowList,
  type Finding,
  type ScanResult,
} from '../../../scripts/electronegativity.review.ts';

const projectDir = path.resolve(import.meta.dirname, '../../..');
const reason = 'setWindowOpenHandler denies every window for every webContents, so this cannot open one';

function finding(id: string, file: string, severity: Finding['severity']['name']): Finding {
  return {
    id,
    file,
    location: { line: 3, column: 1 },
    description: `${id} description`,
    severity: { name: severity },
    confidence: { name: 'FIRM' },
  };
}

function scanOf(issues: Finding[], errors: ScanResult['errors'] = []): ScanResult {
  return { globalChecks: 5, atomicChecks: 36, errors, issues };
}

const allowList: AllowList = {
  reviewedBy: 'test',
  reviewedOn: '2026-05-01',
  skippedChecks: [{ check: 'AvailableSecurityFixesGlobalCheck', reason, provenBy: ['test/x.test.ts'] }],
  exceptions: [{ check: 'AUXCLICK_JS_CHECK', file: 'src/main/electron/window.ts', reason, provenBy: ['test/x.test.ts'] }],
};

describe('the allow-list', () => {
  it('in the repository parses, and every test it cites exists', async () => {
    const list = parseAllowList(JSON.parse(await readFile(ALLOW_LIST_PATH, 'utf8')));
    const cited = [...list.exceptions, ...list.skippedChecks].flatMap((e) => e.provenBy);
    expect(cited.length).toBeGreaterThan(0);
    for (const file of cited) expect((await stat(path.join(projectDir, file))).isFile(), file).toBe(true);
  });

  it.each([
    [
      'a reason too short to be a review',
      { check: 'AUXCLICK_JS_CHECK', file: 'a.ts', reason: 'false positive', provenBy: ['t.ts'] },
      /exceptions\.0\.reason/,
    ],
    ['no test named', { check: 'AUXCLICK_JS_CHECK', file: 'a.ts', reason, provenBy: [] }, /exceptions\.0\.provenBy/],
    ['a malformed check id', { check: 'auxclick', file: 'a.ts', reason, provenBy: ['t.ts'] }, /exceptions\.0\.check/],
    ['an unknown field', { check: 'AUXCLICK_JS_CHECK', file: 'a.ts', reason, provenBy: ['t.ts'], severity: 'LOW' }, /exceptions\.0/],
    ['a blanket exception without a file key', { check: 'AUXCLICK_JS_CHECK', reason, provenBy: ['t.ts'] }, /exceptions\.0\.file/],
  ])('refuses %s, naming the path', (_label, exception, message) => {
    expect(() => parseAllowList({ ...allowList, exceptions: [exception] })).toThrow(AllowListError);
    expect(() => parseAllowList({ ...allowList, exceptions: [exception] })).toThrow(message);
  });

  it('refuses a file that is not an allow-list at all', () => {
    expect(() => parseAllowList([])).toThrow(/\(root\)/);
    expect(() => parseAllowList({ ...allowList, skippedChecks: [{ check: 'EVERYTHING', reason, provenBy: ['t.ts'] }] })).toThrow(
      /skippedChecks\.0\.check/,
    );
  });
});

describe('reviewing findings', () => {
  it('blocks an unreviewed HIGH finding and passes a reviewed one', () => {
    const high = finding('NODE_INTEGRATION_JS_CHECK', 'src/main/electron/window.ts', 'HIGH');
    const review = reviewFindings(scanOf([high]), allowList);
    expect(review.blocking).toEqual([high]);
    expect(gatePasses(review)).toBe(false);
    expect(formatReview(review, scanOf([high]), allowList)).toMatch(
      /BLOCKING\s+NODE_INTEGRATION_JS_CHECK \[HIGH\/FIRM\] src\/main\/electron\/window\.ts:3[\s\S]*FAILED/,
    );

    const reviewedHigh = finding('AUXCLICK_JS_CHECK', 'src/main/electron/window.ts', 'HIGH');
    const passed = reviewFindings(scanOf([reviewedHigh]), allowList);
    expect(passed.reviewed).toEqual([{ finding: reviewedHigh, exception: allowList.exceptions[0] }]);
    expect(gatePasses(passed)).toBe(true);
  });

  it('does not let an exception cover the same check in another file', () => {
    const elsewhere = finding('AUXCLICK_JS_CHECK', 'src/main/electron/other-window.ts', 'HIGH');
    expect(reviewFindings(scanOf([elsewhere]), allowList).blocking).toEqual([elsewhere]);
  });

  it('blocks unreviewed findings of any severity, and reports stale exceptions without failing for them', () => {
    const informational = finding('NODE_INTEGRATION_JS_CHECK', 'src/main/electron/window.ts', 'INFORMATIONAL');
    const review = reviewFindings(scanOf([informational]), allowList);
    expect(review.blocking).toEqual([informational]);
    expect(review.stale).toEqual(allowList.exceptions);
    expect(formatReview(review, scanOf([informational]), allowList)).toMatch(/BLOCKING[\s\S]*stale allow-list entry[\s\S]*FAILED/);

    const onlyStale = reviewFindings(scanOf([]), allowList);
    expect(onlyStale.stale).toHaveLength(1);
    expect(gatePasses(onlyStale)).toBe(true);
  });

  it('fails when a file could not be parsed (it was not scanned), not for tolerable warnings', () => {
    const unparsed = reviewFindings(
      scanOf([], [{ file: 'src/preload/preload.ts', message: 'Unexpected token', tolerable: false }]),
      allowList,
    );
    expect(gatePasses(unparsed)).toBe(false);
    const tolerable = reviewFindings(scanOf([], [{ file: 'x.ts', message: 'recovered', tolerable: true }]), allowList);
    expect(gatePasses(tolerable)).toBe(true);
  });
});

describe('the scanner', () => {
  let root: string | undefined;
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  // The fixture leaves `sandbox` out: the scanner stops reporting nodeIntegration: true once an
  // explicit sandbox: false is present (its sandbox branch is inverted), one more reason the
  // checklist tests, not this scan, are the proof.
  it('finds a window that turns Node integration on and isolation off, and the gate blocks it', { timeout: 120_000 }, async () => {
    root = await mkdtemp(path.join(tmpdir(), 'huizhen-electronegativity-test-'));
    await mkdir(path.join(root, 'src/main/electron'), { recursive: true });
    await writeFile(
      path.join(root, 'src/main/electron/window.ts'),
      "import { BrowserWindow } from 'electron';\n" +
        'export const open = (): BrowserWindow =>\n' +
        '  new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\n',
    );
    const result = await scan(allowList, { root, paths: ['src/main/electron'] });
    expect(result.errors).toEqual([]);
    const review = reviewFindings(result, allowList);
    expect(review.blocking.map((f) => f.id)).toEqual(
      expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']),
    );
    expect(review.blocking.map((f) => f.severity.name)).toContain('HIGH');
    expect(gatePasses(review)).toBe(false);
  });
});
