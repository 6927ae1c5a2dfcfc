import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const fakeElectron = fileURLToPath(new URL('./test/fakes/electron.ts', import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { electron: fakeElectron } },
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A busy two-core CI machine: the first ESLint run of the toolchain tests alone took
          // over 5 s at load 20. A test's own deadline, where it has one, still applies.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Integration suites bind real loopback ports; running files in parallel is safe
          // because every server listens on port 0.
          fileParallelism: true,
        },
      },
    ],
  },
});
