import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { serveWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import type { HuizhenConfigInput } from '../../src/shared/config/schema.ts';
import { openAppAs } from './support.ts';

export type OwnWorkstation = Awaited<ReturnType<typeof serveWorkstation>>;

/**
 * A browser host of a spec's own over its own demo hospital (so its systems can hang or stop
 * without touching the shared host): every source with one deadline and no retries, and an
 * encrypted cache in a folder of its own.
 */
export async function serveOwnWorkstation(hospitalConfig: HuizhenConfigInput, label: string, deadlineMs: number): Promise<OwnWorkstation> {
  const home = mkdtempSync(join(tmpdir(), `huizhen-e2e-${label}-`));
  const passphraseEnv = `HUIZHEN_E2E_${label.toUpperCase().replaceAll('-', '_')}_PASSPHRASE`;
  process.env[passphraseEnv] = `e2e ${label} passphrase`;
  return serveWorkstation({
    config: parseConfig(
      {
        ...hospitalConfig,
        sources: (hospitalConfig.sources ?? []).map((s) => ({
          ...s,
          resilience: { ...s.resilience, timeoutMs: deadlineMs, searchTimeoutMs: deadlineMs, retries: 0 },
        })),
        cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv },
      },
      'demo hospital',
    ),
    rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
  });
}

/** The one-time login URL gives this tab its cookie; then the ward doctor signs in. */
export async function signInToOwn(page: Page, served: OwnWorkstation): Promise<void> {
  await page.goto(served.host.newLoginUrl());
  await openAppAs(page, 'doctor', served.host.origin);
}
