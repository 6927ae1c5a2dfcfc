// npm start: the embedded demo hospital plus the workstation — the Electron desktop app where
// its runtime can start, otherwise the same services in the loopback browser host.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoHospital } from '../src/demo-hospital/start-demo-hospital.ts';
import { pushDemoPharmacyOrders } from '../src/demo-hospital/his-mllp/his-orders.ts';
import { pushDemoImagingOrders } from '../src/demo-hospital/his-mllp/his-imaging-orders.ts';
import { serveWorkstation } from '../src/main/host/serve-workstation.ts';
import { cliFailureOf } from '../src/cli/cli-failure.ts';
import { CacheError } from '../src/main/services/cache/index.ts';
import { EXIT } from '../src/cli/cli-error.ts';
import { demoCache } from './demo-cache.ts';
import { parseConfig } from '../src/main/services/config/load-config.ts';
import { findElectronRuntime } from './electron-runtime.ts';

const root = join(import.meta.dirname, '..');
const stops: (() => Promise<void>)[] = [];
const stopAll = async () => {
  for (const stop of [...stops].reverse()) await stop().catch(() => {});
};
const shutdown = async () => {
  await stopAll();
  process.exit(0);
};

/**
 * A start that fails (a wrong cache passphrase, a damaged cache, a port in use) is one line on
 * stderr and a non-zero exit, with the demo hospital stopped: the person at the terminal needs
 * what to do, not a stack trace. Typed failures exit with the CLI's code for them (2: the
 * configuration, passphrase included); anything else is a bug (70) and still one line.
 */
async function failStart(error: unknown): Promise<never> {
  const failure = cliFailureOf(error, 'workstation');
  const message = failure?.message ?? `could not start: ${error instanceof Error ? error.message : String(error)}`;
  const hint =
    error instanceof CacheError && error.code === 'wrong-key'
      ? ` (the demo cache was sealed with another HUIZHEN_CACHE_PASSPHRASE: set that one, or delete ${process.env.HUIZHEN_DEMO_CACHE_DIR || '.cache/demo-workstation'} to start afresh)`
      : '';
  console.error(`huizhen: ${message.replace(/\s*\n\s*/g, ' ')}${hint}`);
  await stopAll();
  process.exit(failure?.exitCode ?? EXIT.internal);
}

async function freeLocalPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The listener opens when the workstation (browser host or desktop app) has started: tried each second for two minutes. */
async function pushOrdersOnceListening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const codes = await pushDemoPharmacyOrders(port);
      console.log(`huizhen: demo HIS pushed ${codes.length} pharmacy orders (RDE^O11) to 127.0.0.1:${port}: ${codes.join(', ')}`);
      const imaging = await pushDemoImagingOrders(port);
      console.log(`huizhen: demo HIS pushed ${imaging.length} imaging order (ORM^O01) to 127.0.0.1:${port}: ${imaging.join(', ')}`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  console.log('huizhen: demo HIS could not push its pharmacy orders (the workstation never listened)');
}

async function start(): Promise<void> {
  // HUIZHEN_DEMO_PACS=small|off trades the 200-slice CTs for a quicker start (tests use small).
  const pacsProfile = process.env.HUIZHEN_DEMO_PACS === 'off' ? false : process.env.HUIZHEN_DEMO_PACS === 'small' ? 'small' : 'full';
  const hospital = await startDemoHospital({
    pacs: pacsProfile,
    identityProvider: true,
    wardCensus: true,
    // The HIS answers the census query (IHE ITI-22) besides pushing ADT, as the worklist is meant to be fed.
    censusConfig: { his: true },
    broker: process.env.HUIZHEN_DEMO_BROKER !== 'off',
    onProgress: (line) => console.log(`huizhen: ${line}`),
  });
  stops.push(() => hospital.stop());
  for (const notice of hospital.notices) console.log(`huizhen: ${notice}`);
  // The demo HIS pushes its pharmacy orders (RDE^O11) to the workstation's MLLP listener.
  const inboundPort = await freeLocalPort();
  const config = parseConfig(
    {
      ...hospital.config,
      cache: demoCache(),
      // The census's patients are fetched ahead (records and their latest study), so the ward
      // keeps reading them in an outage as a configured hospital would.
      prefetch: { images: true, studiesPerPatient: 1 },
      inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his', patientIdAuthority: 'HIS' },
    },
    'demo hospital',
  );
  void pushOrdersOnceListening(inboundPort);
  console.log(`huizhen: demo hospital running — ${hospital.systems.map((s) => `${s.name} ${s.url}`).join(', ')}`);

  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const runtime = findElectronRuntime();
  if (runtime.ok) {
    const build = spawn(process.execPath, [join(root, 'scripts', 'build-electron.ts')], { stdio: 'inherit' });
    await new Promise((resolve) => build.on('exit', resolve));
    const configFile = join(mkdtempSync(join(tmpdir(), 'huizhen-')), 'demo-config.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const app = spawn(runtime.executable, [root, '--config', configFile], { stdio: 'inherit' });
    app.on('exit', () => void shutdown());
  } else {
    console.log(`huizhen: desktop shell unavailable: ${runtime.reason}; serving the workstation in your browser instead.`);
    const served = await serveWorkstation({
      config,
      rendererDir: join(root, 'dist-renderer'),
      port: process.env.HUIZHEN_PORT ? Number(process.env.HUIZHEN_PORT) : undefined,
      log: (line) => console.error(`huizhen: ${line}`),
    });
    stops.push(() => served.close());
    console.log(`huizhen: open ${served.host.url}`);
    console.log('huizhen: (the link works once; press Ctrl+C to stop)');
  }
}

await start().catch(failStart);
