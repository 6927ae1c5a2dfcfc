/**
 * The setup the access tests share: the demo hospital (small PACS) over loopback, a workstation on
 * it (optionally with an encrypted cache of its own), and the access-checked API as the renderer
 * reaches it — local demo accounts, role policy, a long care window, privacy masking, audit kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { endpointFromConfig } from '../../src/adapters/dicomweb/index.ts';
import { demoLocalAccounts } from '../../src/demo-hospital/identity-provider/index.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import type { AccessAuditEvent } from '../../src/main/services/access/audit-port.ts';
import { createRolePolicy } from '../../src/main/services/access/role-policy.ts';
import { createSecuredApi, type SecuredApi } from '../../src/main/services/access/secured-api.ts';
import { secureDicomweb } from '../../src/main/services/access/secured-dicomweb.ts';
import { createLocalSignIn } from '../../src/main/services/auth/local-accounts.ts';
import { type CacheStore, createPassphraseKeyProtector, openCacheStore } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { createPrivacyMasking } from '../../src/main/services/privacy/index.ts';
import { AccessConfigSchema } from '../../src/shared/config/access.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../src/shared/config/privacy.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';
import type { PatientCandidate } from '../../src/shared/domain/patient.ts';

export interface SecuredDemo {
  readonly hospital: DemoHospital;
  readonly config: HuizhenConfig;
  readonly core: Workstation;
  /** The workstation's encrypted cache; only when asked for with `cache`. */
  readonly cache: CacheStore;
  /** A fresh access-checked API (signed out) whose audit events land in `audit`. */
  securedApi(audit: AccessAuditEvent[], clock?: () => number): SecuredApi;
  /** The one candidate the search finds (fails the test if it finds none or several). */
  findOne(api: SecuredApi, query: string): Promise<PatientCandidate>;
  /** A study's series metadata asked for through the access-checked DICOMweb proxy, as the viewer asks. */
  seriesViewer(api: SecuredApi): { pacsId: string; series(studyUid: string): Promise<Response> };
}

/** Starts the demo hospital and workstation before the file's tests and stops them after. `cache` names the cache's temp folder. */
export function securedDemoHospital(options: { cache?: string } = {}): SecuredDemo {
  let hospital: DemoHospital | undefined;
  let config: HuizhenConfig | undefined;
  let core: Workstation | undefined;
  let cache: CacheStore | undefined;
  let cacheDir: string | undefined;
  const signIn = createLocalSignIn(demoLocalAccounts());
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the secured demo has no ${what} (not started, or not asked for)`);
    return value;
  };

  beforeAll(async () => {
    hospital = await startDemoHospital({ pacs: 'small' });
    config = parseConfig(hospital.config);
    if (options.cache) {
      cacheDir = mkdtempSync(join(tmpdir(), `huizhen-${options.cache}-`));
      cache = await openCacheStore({
        directory: cacheDir,
        protector: createPassphraseKeyProtector('integration passphrase', { log2Cost: 12 }),
      });
    }
    core = await createWorkstation(config, cache ? { cache } : {});
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    await hospital?.stop();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  const demo: SecuredDemo = {
    get hospital() {
      return started(hospital, 'hospital');
    },
    get config() {
      return started(config, 'config');
    },
    get core() {
      return started(core, 'workstation');
    },
    get cache() {
      return started(cache, 'cache');
    },
    securedApi(audit, clock) {
      return createSecuredApi({
        core: demo.core,
        methods: { local: (u, p) => signIn.signIn(u, p) },
        idleLockMinutes: 10,
        sessionMaxHours: 12,
        policy: createRolePolicy(),
        // The demo data ends in 2025: a long care window keeps the demo patient's stay "recent".
        access: AccessConfigSchema.parse({ careWindowDays: 3650 }),
        audit: async (event) => {
          audit.push(event);
        },
        masking: createPrivacyMasking(DEFAULT_PRIVACY_CONFIG),
        ...(clock ? { clock } : {}),
      });
    },
    async findOne(api, query) {
      const { candidates } = await api.handlers.searchPatients({ query });
      expect(candidates).toHaveLength(1);
      return candidates[0]!;
    },
    seriesViewer(api) {
      const pacs = demo.config.sources.find((s) => s.kind === 'dicomweb');
      if (pacs?.kind !== 'dicomweb') throw new Error('the demo hospital has no PACS');
      const proxy = createDicomwebProxy({
        sources: [{ sourceId: pacs.id, endpoint: endpointFromConfig(pacs) }],
        patientKeyFor: () => undefined,
      });
      const handler = secureDicomweb(proxy, api);
      return {
        pacsId: pacs.id,
        series: (studyUid) =>
          handler(
            new Request(`http://127.0.0.1/dicom-web/${pacs.id}/studies/${studyUid}/series`, {
              headers: { accept: 'application/dicom+json' },
            }),
          ),
      };
    },
  };
  return demo;
}
