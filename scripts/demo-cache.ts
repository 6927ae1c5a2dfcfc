import { join } from 'node:path';

/**
 * The demo workstation's encrypted cache: inside the repository's git-ignored .cache/, with a
 * passphrase that is public on purpose (demo data only). A real deployment sets its own
 * HUIZHEN_CACHE_PASSPHRASE, or uses the desktop app, where the OS key store protects the key.
 */
export function demoCache(): { enabled: true; directory: string; retentionDays: number } {
  process.env.HUIZHEN_CACHE_PASSPHRASE ??= 'huizhen demo only — not a secret';
  // HUIZHEN_DEMO_CACHE_DIR: elsewhere than the repository (tests that must not touch the real demo cache).
  const directory = process.env.HUIZHEN_DEMO_CACHE_DIR || join(import.meta.dirname, '..', '.cache', 'demo-workstation');
  console.log(`huizhen: encrypted cache at ${directory} (demo passphrase unless HUIZHEN_CACHE_PASSPHRASE is set)`);
  return { enabled: true, directory, retentionDays: 30 };
}
