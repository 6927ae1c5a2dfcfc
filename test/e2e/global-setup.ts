import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '@playwright/test';
import { startDemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { serveWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * One demo hospital and one browser host for the whole run, exactly as `npm start` composes
 * them. The one-time token is redeemed here and the session cookie shared with every test.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // The small PACS profile keeps start-up quick while every modality and transfer syntax is there.
  const hospital = await startDemoHospital({ pacs: 'small', identityProvider: true, wardCensus: true });
  if (hospital.notices.length > 0) throw new Error(`demo hospital incomplete: ${hospital.notices.join('; ')}`);
  // An encrypted cache of its own, as `npm start` has: the audit log and exports live beside it.
  const home = mkdtempSync(join(tmpdir(), 'huizhen-e2e-'));
  process.env.HUIZHEN_E2E_CACHE_PASSPHRASE = 'e2e cache passphrase';
  process.env.HUIZHEN_E2E_HOME = home;
  // The HIS pushes pharmacy orders (RDE^O11) to the workstation's MLLP listener on a free port.
  const inboundPort = await freePort();
  process.env.HUIZHEN_E2E_INBOUND_PORT = String(inboundPort);
  const served = await serveWorkstation({
    config: parseConfig(
      {
        ...hospital.config,
        cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: 'HUIZHEN_E2E_CACHE_PASSPHRASE' },
        // The hospital's own mapping entries, which no demo source sends: the console marks them as never matched.
        mappings: { labCodes: [{ code: 'XJ-FRUCTOSAMINE', loinc: '15069-8' }], units: [{ spelling: '毫摩每升', ucum: 'mmol/L' }] },
        inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his', patientIdAuthority: 'HIS' },
      },
      'demo hospital',
    ),
    rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
  });
  const context = await request.newContext();
  const login = await context.get(served.host.url, { maxRedirects: 0 });
  if (login.status() !== 303) throw new Error(`sign-in with the one-time token failed: HTTP ${login.status()}`);
  await context.storageState({ path: 'test-results/e2e-auth.json' });
  await context.dispose();
  process.env.HUIZHEN_E2E_ORIGIN = served.host.origin;
  // Specs that need a record the seed lacks write it to the CDR (and remove it after).
  process.env.HUIZHEN_E2E_FHIR = hospital.fhirBaseUrl;
  return async () => {
    await served.close();
    await hospital.stop();
  };
}
