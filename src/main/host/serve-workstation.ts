import type { HuizhenConfig } from '../../shared/config/schema.ts';
import { serveStaticFile } from '../services/static-files/index.ts';
import { composeWorkstation, type Workstation } from '../composition/index.ts';
import type { SecuredApi } from '../services/access/index.ts';
import { passphraseProtectorFromEnv } from '../services/cache-setup/index.ts';
import { startBrowserHost, type BrowserHost } from './browser-host.ts';

export interface ServedWorkstation {
  host: BrowserHost;
  /** The core, for tests and tools in the same process; the browser only reaches `api`. */
  workstation: Workstation;
  api: SecuredApi;
  /** Every DICOMweb answer already sent is also in the encrypted cache (benchmarks' warm passes). */
  dicomwebSettled(): Promise<void>;
  close(): Promise<void>;
}

/** The application core plus the browser host in front of it: `npm run serve`, `npm start`'s fallback, e2e tests. */
export async function serveWorkstation(options: {
  config: HuizhenConfig;
  rendererDir: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<ServedWorkstation> {
  const { workstation, api, dicomweb, dicomwebSettled } = await composeWorkstation(options.config, {
    protector: () => passphraseProtectorFromEnv(options.config.cache!),
    ...(options.log ? { log: options.log } : {}),
  });
  const host = await startBrowserHost({
    backend: api,
    staticHandler: (request) => serveStaticFile(request, { rootDir: options.rendererDir }),
    mounts: dicomweb ? { '/dicom-web/': dicomweb } : {},
    port: options.port,
    log: options.log,
  });
  return {
    host,
    workstation,
    api,
    dicomwebSettled,
    async close() {
      await host.close();
      await workstation.close();
    },
  };
}
