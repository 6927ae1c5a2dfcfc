import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const fakeElectron = fileURLToPath(new URL('./test/fakes/electron.ts', import.meta.url));

// Vitest's own default is one worker fewer than the cores: a single worker on a two-core CI
// machine, every file after the other. One worker per core for both projects. Integration tests
// wait much of their time (sockets, child processes, a hung source's deadline), but twice as
// many workers as cores made them fail at load 36 on two cores: the CLI's child processes ran
// past the 30 s test timeout and MLLP ACKs past the harness's 5 s wait, all of which pass with
// one worker per core. Unit files run first, then integration files (their own groupOrder).
const cores = Math.max(availableParallelism(), 1);

// Unit test files that need a fresh module graph: those that mock or stub (vi.mock, vi.doMock,
// vi.stubGlobal, vi.resetModules — found by reading the files, so a new one cannot be forgotten),
// and those that import a module for its side effects (the preload script exposing its API once).
// Every other unit test file shares its worker's modules with the files before it, which cut
// their import time by more than half (each file used to import zod, the schemas and the adapters anew).
const importsForSideEffects = ['test/unit/preload/preload.test.ts', 'test/unit/main/electron/security-checklist.test.ts'];
const mocksModules = /\bvi\.(?:mock|doMock|stubGlobal|resetModules)\(/;
const needsFreshModules = [
  ...importsForSideEffects,
  ...readdirSync('test/unit', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test/unit', f).split(sep).join('/'))
    .filter((f) => mocksModules.test(readFileSync(f, 'utf8'))),
];

const unit = {
  resolve: { alias: { electron: fakeElectron } },
  test: {
    environment: 'node',
    maxWorkers: cores,
    sequence: { groupOrder: 0 },
    // A busy two-core CI machine: the first ESLint run of the toolchain tests alone took
    // over 5 s at load 20. A test's own deadline, where it has one, still applies.
    testTimeout: 30_000,
  },
} as const;

export default defineConfig({
  test: {
    projects: [
      {
        ...unit,
        test: { ...unit.test, name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: needsFreshModules, isolate: false },
      },
      {
        ...unit,
        test: { ...unit.test, name: 'unit-fresh-modules', include: needsFreshModules },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Two files at a time at load 38: cli.test.ts's four CLI runs in one test took over
          // 30 s (47 s for the whole file at load 20 with one worker). A hang guard only; a
          // test's own deadline, where it has one, still applies; hooks get as long (starting a demo hospital).
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration suites bind real loopback ports; running files in parallel is safe
          // because every server listens on port 0.
          fileParallelism: true,
          maxWorkers: cores,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
