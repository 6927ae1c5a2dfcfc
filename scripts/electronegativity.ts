// node scripts/electronegativity.ts — the electronegativity gate for the Electron shell.
// Scans src/main/electron, src/preload and the renderer's index.html with @doyensec/electronegativity,
// prints every finding, and exits 1 on an unreviewed HIGH finding or a file it could not parse.
// Reviewed false positives, with their reasons, are in scripts/electronegativity.allowlist.json.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatReview,
  gatePasses,
  parseAllowList,
  reviewFindings,
  ScanResultSchema,
  type AllowList,
  type ScanResult,
} from './electronegativity.review.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What is scanned, relative to the repository; findings name files by these same paths. */
export const SCANNED_PATHS = ['src/main/electron', 'src/preload', 'src/renderer/index.html'] as const;

export const ALLOW_LIST_PATH = path.join(projectDir, 'scripts', 'electronegativity.allowlist.json');

type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<unknown>;

/**
 * The scanner takes one input folder, so the scanned paths are copied into a temporary folder
 * with their repository-relative layout: findings then name `src/main/electron/window.ts`, and the
 * global checks (navigation limits, permission handler, CSP) see main, preload and page together.
 */
async function stageSources(root: string, paths: readonly string[]): Promise<string> {
  const stage = await mkdtemp(path.join(tmpdir(), 'huizhen-electronegativity-'));
  for (const relative of paths) {
    await cp(path.join(root, relative), path.join(stage, relative), { recursive: true });
  }
  return stage;
}

/**
 * The scanner downloads translations at start (and Electron's release list, a check skipped in
 * the allow-list). The build machines reach only the npm registry, and when got's retry fires
 * after the scanner gave up, got throws from a timer and kills the process. So its HTTP client
 * is replaced, for the scanner only, by one that fails at once: the scanner then uses the
 * English texts it ships, and no scan depends on the network.
 */
function keepOffline(scannerRequire: NodeJS.Require): void {
  const gotPath = scannerRequire.resolve('got');
  const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
  scannerRequire.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline } as unknown as NodeJS.Module;
}

/** Runs electronegativity's own runner (its CLI prints a table only, which cannot be gated on). */
export async function scan(
  allowList: AllowList,
  sources: { root: string; paths: readonly string[] } = { root: projectDir, paths: SCANNED_PATHS },
): Promise<ScanResult> {
  // The scanner and Electron are this project's, whatever folder is scanned.
  const require = createRequire(path.join(projectDir, 'package.json'));
  const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
  keepOffline(createRequire(runnerPath));
  const run = require(runnerPath) as Runner;
  const electron = JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')) as { version: string };
  const stage = await stageSources(sources.root, sources.paths);
  try {
    const result = await run(
      {
        input: stage,
        isRelative: true,
        // Its version detection reads a package.json; its defaults table stops at Electron 10, so
        // naming the installed version matters for checks whose default changed since.
        electronVersionOverride: electron.version,
        customScan: [],
        excludeFromScan: allowList.skippedChecks.map((s) => s.check.toLowerCase()),
        parserPlugins: [],
      },
      false,
    );
    const parsed = ScanResultSchema.safeParse(result);
    if (!parsed.success) throw new Error(`electronegativity returned an unexpected result: ${parsed.error.message}`);
    return parsed.data;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let allowList: AllowList;
  try {
    allowList = parseAllowList(JSON.parse(await readFile(ALLOW_LIST_PATH, 'utf8')));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const result = await scan(allowList);
  const review = reviewFindings(result, allowList);
  console.log(formatReview(review, result, allowList));
  return gatePasses(review) ? 0 : 1;
}

if (import.meta.main) {
  process.exitCode = await main().catch((error: unknown) => {
    console.error('electronegativity could not run:', error);
    return 2;
  });
}
