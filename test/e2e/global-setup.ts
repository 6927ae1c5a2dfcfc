import { join } from 'node:path';
import { request } from '@playwright/test';
import { startDemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { serveWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';

/**
 * One demo hospital and one browser host for the whole run, exactly as `npm start` composes
 * them. The one-time token is redeemed here and the session cookie shared with every test.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // The small PACS profile keeps start-up quick while every modality and transfer syntax is there.
  const hospital = await startDemoHospital({ pacs: 'small' });
  if (hospital.notices.length > 0) throw new Error(`demo hospital incomplete: ${hospital.notices.join('; ')}`);
  const served = await serveWorkstation({
    config: parseConfig(hospital.config, 'demo hospital'),
    rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
  });
  const context = await request.newContext();
  const login = await context.get(served.host.url, { maxRedirects: 0 });
  if (login.status() !== 303) throw new Error(`sign-in with the one-time token failed: HTTP ${login.status()}`);
  await context.storageState({ path: 'test-results/e2e-auth.json' });
  await context.dispose();
  process.env.HUIZHEN_E2E_ORIGIN = served.host.origin;
  return async () => {
    await served.close();
    await hospital.stop();
  };
}
