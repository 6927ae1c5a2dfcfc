import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type FullConfig } from '@playwright/test';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { serveWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { DEFAULT_CALL_LIMITS } from '../../src/shared/config/call-limits.ts';
import { buildHarness } from '../support/imaging-harness.ts';
import { buildPixelPage } from '../support/pixel-correctness.ts';
import { withDeadline } from './deadline.ts';
import { authStatePath, workerEnv } from './worker-host.ts';
import { freePort } from '../support/free-port.ts';

type Served = Awaited<ReturnType<typeof serveWorkstation>>;

/**
 * One browser host as `npm start` composes it, for one Playwright worker: its own encrypted cache
 * (the audit log and exports live beside it) and its own inbound MLLP port, because a host has
 * one signed-in session and two workers signing it in as different users would trip each other.
 */
async function serveForWorker(hospital: DemoHospital, index: number): Promise<Served> {
  const home = mkdtempSync(join(tmpdir(), `huizhen-e2e-w${index}-`));
  // The HIS pushes pharmacy orders (RDE^O11) to the workstation's MLLP listener on a free port.
  const inboundPort = await freePort();
  const served = await serveWorkstation({
    config: parseConfig(
      {
        ...hospital.config,
        cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: 'HUIZHEN_E2E_CACHE_PASSPHRASE' },
        // The hospital's own mapping entries, which no demo source sends: the console marks them as never matched.
        mappings: { labCodes: [{ code: 'XJ-FRUCTOSAMINE', loinc: '15069-8' }], units: [{ spelling: '毫摩每升', ucum: 'mmol/L' }] },
        inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his', patientIdAuthority: 'HIS' },
        // One account runs every spec of the worker back to back, a ward's day a minute: ten times a
        // doctor's allowance, so no spec is refused for the pace of the others. The limits themselves
        // are held by call-limits.spec.ts (a doctor's stretch against the defaults; its own host
        // for a refusal) and attack-call-limits.test.ts.
        access: {
          ...hospital.config.access,
          callLimits: Object.fromEntries(
            Object.entries(DEFAULT_CALL_LIMITS).map(([kind, a]) => [kind, { burst: a.burst * 10, perMinute: a.perMinute * 10 }]),
          ),
        },
      },
      'demo hospital',
    ),
    rendererDir: join(import.meta.dirname, '..', '..', 'dist-renderer'),
  });
  // The one-time token is redeemed here and the session cookie shared with every test of this worker.
  const context = await request.newContext();
  const login = await context.get(served.host.url, { maxRedirects: 0 });
  if (login.status() !== 303) throw new Error(`sign-in with the one-time token failed: HTTP ${login.status()}`);
  await context.storageState({ path: authStatePath(index) });
  await context.dispose();
  const env = workerEnv(index);
  process.env[env.origin] = served.host.origin;
  process.env[env.home] = home;
  process.env[env.inboundPort] = String(inboundPort);
  // Specs that need a record the seed lacks write it to this worker's CDR (and remove it after).
  process.env[env.fhir] = hospital.fhirBaseUrl;
  return served;
}

/** One demo hospital, as `npm start` starts it. */
async function startHospital(): Promise<DemoHospital> {
  // The small PACS profile keeps start-up quick while every modality and transfer syntax is there.
  const hospital = await startDemoHospital({ pacs: 'small', identityProvider: true, wardCensus: true });
  if (hospital.notices.length > 0) {
    await hospital.stop();
    throw new Error(`demo hospital incomplete: ${hospital.notices.join('; ')}`);
  }
  return hospital;
}

/**
 * A demo hospital and a browser host over it for each worker: specs write records into the CDR
 * (and remove them after), sign the host in as another user, acknowledge critical values — what
 * one worker does must not show in what the other counts. The viewer's dev pages are built here
 * once: three spec files building them into one folder on two workers would empty it under each
 * other (and each build costs 10–30 s on a loaded machine).
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  process.env.HUIZHEN_E2E_CACHE_PASSPHRASE = 'e2e cache passphrase';
  const workers = Math.max(1, config.workers);
  const [started] = await Promise.all([
    Promise.allSettled(Array.from({ length: workers }, () => startHospital())),
    buildHarness().then(() => buildPixelPage()),
  ]);
  const hospitals = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(hospitals.map((h) => h.stop()));
    throw failed.reason;
  }
  const served: Served[] = [];
  for (const [index, hospital] of hospitals.entries()) served.push(await serveForWorker(hospital, index));
  return async () => {
    // Bounded: a teardown that waits forever leaves a CI job idle until its own limit kills it.
    await withDeadline(Promise.all(served.map((s) => s.close())), 60_000, 'the e2e browser hosts to close');
    await withDeadline(Promise.all(hospitals.map((h) => h.stop())), 90_000, 'the demo hospitals to stop');
  };
}
