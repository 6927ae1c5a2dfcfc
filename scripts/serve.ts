// npm run serve [-- --config FILE] [--port N]: the workstation in the loopback browser host,
// against the hospital systems in FILE, or against the embedded demo hospital without one.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { startDemoHospital } from '../src/demo-hospital/start-demo-hospital.ts';
import { serveWorkstation } from '../src/main/host/serve-workstation.ts';
import { demoCache } from './demo-cache.ts';
import { ConfigError, loadConfigFile, parseConfig } from '../src/main/services/config/load-config.ts';

const { values } = parseArgs({ options: { config: { type: 'string' }, port: { type: 'string' } } });
const stops: (() => Promise<void>)[] = [];
try {
  let config;
  if (values.config) {
    config = await loadConfigFile(values.config);
  } else {
    const hospital = await startDemoHospital({ pacs: 'full', identityProvider: true, wardCensus: true });
    for (const notice of hospital.notices) console.log(`huizhen: ${notice}`);
    stops.push(() => hospital.stop());
    config = parseConfig({ ...hospital.config, cache: demoCache() }, 'demo hospital');
    console.log('huizhen: no --config given: using the embedded demo hospital');
  }
  const served = await serveWorkstation({
    config,
    rendererDir: join(import.meta.dirname, '..', 'dist-renderer'),
    port: values.port ? Number(values.port) : undefined,
    log: (line) => console.error(`huizhen: ${line}`),
  });
  stops.unshift(() => served.close());
  console.log(`huizhen: open ${served.host.url}`);
} catch (error) {
  console.error(`huizhen: ${error instanceof ConfigError ? `invalid configuration ${error.message}` : (error as Error).message}`);
  process.exit(2);
}
const shutdown = async () => {
  for (const stop of stops) await stop().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
