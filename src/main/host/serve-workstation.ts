import type { HuizhenConfig } from '../../shared/config/schema.ts';
import { serveStaticFile } from '../services/static-files/index.ts';
import { createWorkstation, type Workstation } from '../services/workstation/create-workstation.ts';
import { openConfiguredCache, passphraseProtectorFromEnv } from '../services/workstation/open-cache.ts';
import { startBrowserHost, type BrowserHost } from './browser-host.ts';

export interface ServedWorkstation {
  host: BrowserHost;
  workstation: Workstation;
  close(): Promise<void>;
}

/** The application core plus the browser host in front of it: `npm run serve`, `npm start`'s fallback, e2e tests. */
export async function serveWorkstation(options: {
  config: HuizhenConfig;
  rendererDir: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<ServedWorkstation> {
  const cache = await openConfiguredCache(options.config.cache, () => passphraseProtectorFromEnv(options.config.cache!));
  const workstation = await createWorkstation(options.config, { ...(cache ? { cache } : {}), ...(options.log ? { log: options.log } : {}) });
  const host = await startBrowserHost({
    backend: workstation,
    staticHandler: (request) => serveStaticFile(request, { rootDir: options.rendererDir }),
    port: options.port,
    log: options.log,
  });
  return {
    host,
    workstation,
    async close() {
      await host.close();
      await workstation.close();
    },
  };
}
