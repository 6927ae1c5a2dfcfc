import { join } from 'node:path';

/**
 * Each Playwright worker has a demo hospital and a browser host of its own (global-setup starts
 * one pair per worker). A worker is told apart by TEST_PARALLEL_INDEX, which Playwright sets in
 * the worker's environment: 0 … workers − 1, reused by a worker that replaces a failed one.
 */
export function workerIndex(): number {
  return Number(process.env.TEST_PARALLEL_INDEX ?? 0);
}

/** The session cookie of worker `index`'s host (config `use.storageState`). */
export function authStatePath(index: number): string {
  return join(import.meta.dirname, '..', '..', 'test-results', `e2e-auth-${index}.json`);
}

/** The names under which global-setup leaves worker `index`'s host for it. */
export function workerEnv(index: number): { origin: string; home: string; inboundPort: string; fhir: string } {
  return {
    origin: `HUIZHEN_E2E_ORIGIN_${index}`,
    home: `HUIZHEN_E2E_HOME_${index}`,
    inboundPort: `HUIZHEN_E2E_INBOUND_PORT_${index}`,
    fhir: `HUIZHEN_E2E_FHIR_${index}`,
  };
}

/**
 * Points the names the specs read (HUIZHEN_E2E_ORIGIN, _HOME, _INBOUND_PORT, _FHIR) at this
 * worker's host and hospital. Called when support.ts loads, in the worker, before any test reads them.
 */
export function adoptWorkerHost(): void {
  const env = workerEnv(workerIndex());
  const [origin, home, inboundPort, fhir] = [env.origin, env.home, env.inboundPort, env.fhir].map((name) => process.env[name]);
  // Outside a run through playwright.config.ts nothing is set, and hostOrigin() says so.
  if (!origin || !home || !inboundPort || !fhir) return;
  process.env.HUIZHEN_E2E_ORIGIN = origin;
  process.env.HUIZHEN_E2E_HOME = home;
  process.env.HUIZHEN_E2E_INBOUND_PORT = inboundPort;
  process.env.HUIZHEN_E2E_FHIR = fhir;
}
