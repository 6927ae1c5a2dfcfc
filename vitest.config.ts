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
