import { endpointFromConfig } from '../../adapters/dicomweb/index.ts';
import type { HuizhenConfig, InboundHl7Config } from '../../shared/config/schema.ts';
import { createPrivacyMasking } from '../services/privacy/index.ts';
import { createRolePolicy, createSecuredApi, limitCalls, type SecuredApi, secureDicomweb } from '../services/access/index.ts';
import type { FetchHandler } from '../services/api/index.ts';
import { type AuditTrail, openAuditTrail } from '../services/audit-trail/index.ts';
import { signInMethods } from '../services/auth/index.ts';
import type { CacheStore } from '../services/cache/index.ts';
import { besideCache } from '../services/durable-files/index.ts';
import { openConfiguredCache, resolveCacheDirectory } from '../services/cache-setup/index.ts';
import { withResolvedCredentials } from '../services/credentials/index.ts';
import { createDeidentifiedExporter } from '../services/deidentified-export/index.ts';
import { createDicomwebProxy, type DicomwebProxy } from '../services/dicomweb-proxy/index.ts';
import { startInboundHl7Listener } from '../services/inbound-hl7/index.ts';
import { followSignedInWards, startWorkstationBroker, type BrokerSubscription } from '../services/inbound-broker/index.ts';
import type { PrefetchReport } from '../services/patient-record/index.ts';
import type { KeyProtector } from '../services/security/index.ts';
import { createWorkstation, type Workstation } from './create-workstation.ts';
import { linkAuditEvent } from './link-audit-event.ts';
import { schedulePrefetch } from './schedule-prefetch.ts';
import { openClinicalAlerts } from './clinical-alerts.ts';
import type { ClinicalAlerts } from '../services/clinical-alerts/index.ts';
import type { WardWorklist } from '../services/worklist/index.ts';
import { composeWardFeeds } from './ward-worklist.ts';
import { composeAdminConsole, type AdminConsole } from './admin-console.ts';
import { composeAdminInsight, type AdminInsight } from './admin-insight.ts';
import { coalesceRefreshes } from './coalesced-refresh.ts';

export type { FetchHandler } from '../services/api/index.ts';

export interface ComposedWorkstation {
  /** The core, unguarded: for the CLI's own use and tests; hosts serve `api` only. */
  workstation: Workstation;
  /** What every host serves to the renderer: sign-in, roles, break-the-glass, masking, audit. */
  api: SecuredApi;
  /** The app's own DICOMweb endpoint for the viewer (behind the same access rules), mounted at "/dicom-web/" by each host. */
  dicomweb: FetchHandler | undefined;
  /**
   * Resolves once every DICOMweb answer already sent is also sealed in the cache (write-behind
   * drained, series read-ahead done): what "warm" means for the viewer's benchmark.
   */
  dicomwebSettled(): Promise<void>;
  audit: AuditTrail;
  /** Critical values and risk rules, with the kept acknowledgements: e.g. the ward worklist's `unacknowledgedCount(entries)`. */
  alerts: ClinicalAlerts;
  /** Runs the configured prefetch now (it also runs in the background at start and on its interval). */
  prefetchNow(): Promise<PrefetchReport | undefined>;
  /** The broker subscription when configured: `onAdtArrived` feeds the ward worklist. */
  broker: BrokerSubscription | undefined;
  /** The ward census and worklist (issue 16). */
  ward: WardWorklist;
}

export interface ComposeOptions {
  protector: () => KeyProtector | Promise<KeyProtector>;
  log?: (line: string) => void;
  /** Opens the identity provider's sign-in page in the system browser (desktop shell). */
  openExternal?: (url: string) => void;
}

/** The listener's settings, completed from the pull source it feeds (same ids, so records merge). */
function inboundConfig(config: HuizhenConfig): InboundHl7Config {
  const inbound = config.inboundHl7!;
  const source = config.sources.find((s) => s.id === inbound.sourceId);
  if (!source || source.kind !== 'hl7v2') {
    throw new Error(`inboundHl7.sourceId "${inbound.sourceId}" must name a configured hl7v2 source`);
  }
  return {
    ...inbound,
    sourceName: inbound.sourceName ?? source.name,
    patientIdAuthority: inbound.patientIdAuthority ?? source.patientIdAuthority,
    identifierSystems: { ...source.identifierSystems, ...inbound.identifierSystems },
  };
}

/**
 * The encrypted cache (when configured) and the configuration with its source credentials out
 * of the vault: they go no further than the adapters, and the audit trail's configuration
 * digest is taken over the unresolved file.
 */
async function openStorage(
  config: HuizhenConfig,
  options: ComposeOptions,
  log: (line: string) => void,
): Promise<{ cache: CacheStore | undefined; sourcesConfig: HuizhenConfig }> {
  const protector = config.cache?.enabled ? await options.protector() : undefined;
  const cache = protector ? await openConfiguredCache(config.cache, () => protector) : undefined;
  const sourcesConfig = await withResolvedCredentials(config, cache).catch((error: unknown) => {
    cache?.close();
    throw error;
  });
  if (cache) {
    for (const q of cache.openReport.quarantined) log(`cache: a damaged file was moved aside: ${JSON.stringify(q)}`);
    const purged = await cache.purgeExpired();
    if (purged > 0) log(`cache: ${purged} patients past the retention period were purged`);
  }
  return { cache, sourcesConfig };
}

/** The viewer's DICOMweb endpoint over the configured PACS, caching under the owning patient's key. */
function dicomwebOf(
  config: HuizhenConfig,
  workstation: Workstation,
  cache: CacheStore | undefined,
  log: (line: string) => void,
): DicomwebProxy | undefined {
  const pacs = config.sources.flatMap((s) =>
    s.kind === 'dicomweb' && s.enabled ? [{ sourceId: s.id, endpoint: endpointFromConfig(s) }] : [],
  );
  if (pacs.length === 0) return undefined;
  return createDicomwebProxy({
    sources: pacs,
    ...(cache ? { cache } : {}),
    patientKeyFor: (uid) => workstation.patientKeyForStudy(uid),
    log,
  });
}

/** The gate every host serves: sign-in, roles, masking, audit, and (with a cache) exports and purge on sign-out. */
function secureApi(
  config: HuizhenConfig,
  ports: {
    workstation: Workstation;
    audit: AuditTrail;
    cache: CacheStore | undefined;
    dicomweb: DicomwebProxy | undefined;
    alerts: ClinicalAlerts;
    worklist: WardWorklist['worklist'];
    adminConsole: AdminConsole;
    adminInsight: AdminInsight;
    options: ComposeOptions;
    log: (line: string) => void;
  },
): SecuredApi {
  const { cache, log } = ports;
  const secured = createSecuredApi({
    core: ports.workstation,
    methods: signInMethods(config.auth, ports.options.openExternal),
    idleLockMinutes: config.auth.idleLockMinutes,
    sessionMaxHours: config.auth.sessionMaxHours,
    policy: createRolePolicy(config.access),
    access: config.access,
    audit: ports.audit.record,
    masking: createPrivacyMasking(config.privacy),
    alerts: ports.alerts,
    worklist: ports.worklist,
    adminConsole: ports.adminConsole.port,
    adminInsight: ports.adminInsight.port,
    ...(cache
      ? {
          exporter: createDeidentifiedExporter({
            root: besideCache(resolveCacheDirectory(config.cache!), 'exports'),
            privacy: config.privacy,
            dicomweb: ports.dicomweb,
          }),
          // Frames answered before sign-out are sealed and stored behind their answers: the purge
          // waits for them, or a copy could land after it and outlive the session.
          onSignOut: () => {
            Promise.resolve(ports.dicomweb?.settled())
              .then(() => cache.onLogout())
              .then(
                (purged) => purged > 0 && log(`cache: ${purged} patients purged on sign-out`),
                (error: unknown) => log(`cache: purge on sign-out failed: ${String(error)}`),
              );
          },
        }
      : {}),
    log,
  });
  // Before every handler: a call over its user's limit is refused before it is decided, audited or fanned out.
  const caller = () => (secured.session.isActive() ? secured.session.currentUser() : undefined);
  return {
    ...secured,
    handlers: limitCalls(secured.handlers, { limits: config.access.callLimits, caller, audit: secured.audit, log }),
  };
}

/**
 * Everything a host runs, built the same way for the desktop shell and the browser host: the
 * encrypted cache (its key protected by `protector`), the workstation over it, and the DICOMweb
 * proxy that serves the viewer from that cache or the PACS. Hosts differ only in the protector.
 */
export async function composeWorkstation(config: HuizhenConfig, options: ComposeOptions): Promise<ComposedWorkstation> {
  const log = options.log ?? (() => {});
  const { cache, sourcesConfig } = await openStorage(config, options, log);
  const audit = await openAuditTrail(config, cache, log);
  // Who is signed in is known to the secured API's session, which wraps the core built here:
  // the core asks for the user only when a clinician confirms or unlinks, once everything is built.
  const signedInUser = () => api.session.currentUser();
  const core = await createWorkstation(sourcesConfig, {
    ...(cache ? { cache } : {}),
    log,
    userId: () => signedInUser()?.id ?? 'nobody',
    auditEvents: (event) => void api.audit(linkAuditEvent(event, signedInUser())).catch(() => {}),
  });
  const alerts = await openClinicalAlerts(config, cache, log);
  const feeds = composeWardFeeds(config, { sourcesConfig, core, cache, alerts, log });
  // The console reads the listener and broker once they are started below.
  const adminConsole = composeAdminConsole(config, { core, cache, inbound: () => inbound, broker: () => broker, log });
  const adminInsight = composeAdminInsight(config, { core, cache, audit, log });
  if (config.inboundHl7?.enabled && !cache) log('inbound HL7: disabled, it needs the cache to store what it acknowledges');
  // Pushes that arrive while a patient is open refresh that patient's timeline at once (bursts
  // coalesced per patient), and the ward worklist is told.
  const refreshInbound = coalesceRefreshes(
    (ref) => core.refreshFromCache(ref),
    (error) => log(`inbound HL7: refreshing an open patient failed: ${String(error)}`),
  );
  const refreshBroker = coalesceRefreshes(
    (ref) => core.refreshFromCache(ref),
    (error) => log(`broker: refreshing an open patient failed: ${String(error)}`),
  );
  const inbound =
    cache && config.inboundHl7?.enabled
      ? await startInboundHl7Listener({
          config: inboundConfig(config),
          store: cache,
          log,
          unitSpellings: config.mappings.units,
          onPatientUpdated: (ref) => {
            refreshInbound(ref);
            feeds.onPatientUpdated(ref);
          },
          onStored: feeds.onStoredFrame,
          onOutcome: adminConsole.onInboundOutcome,
        })
      : undefined;
  // Broker subscription (ADT/results from the hospital's message broker); see services/inbound-broker/.
  const broker = await startWorkstationBroker({
    config,
    cache,
    log,
    onPatientUpdated: (ref) => {
      refreshBroker(ref);
      feeds.onPatientUpdated(ref);
    },
  });
  const stopAdt = broker?.onAdtArrived(feeds.onAdtArrived);
  const dicomweb = dicomwebOf(sourcesConfig, core, cache, log);
  const api = secureApi(config, {
    workstation: core,
    audit,
    cache,
    dicomweb,
    alerts,
    worklist: feeds.ward.worklist,
    adminConsole,
    adminInsight,
    options,
    log,
  });
  api.subscribe(followSignedInWards(broker, signedInUser, log));
  const sweepCensus = async () => {
    const census = await feeds.ward.sweep();
    log(`prefetch: census ${census.prefetched} admitted patients fetched ahead, ${census.purged} discharged past the care window purged`);
  };
  const prefetch = schedulePrefetch(config, { workstation: core, dicomweb, cacheOpen: cache !== undefined, log, afterRun: sweepCensus });
  const workstation: Workstation = {
    ...core,
    // Stop prefetching and accepting pushes (finishing the one being stored) before the cache closes.
    async close() {
      prefetch.stop();
      feeds.ward.stop();
      stopAdt?.();
      await inbound?.close();
      // A mute broker is cut after its bound (a typed BrokerTimeoutError): the rest still closes.
      await broker?.close().catch((error: unknown) => log(error instanceof Error ? error.message : String(error)));
      api.close();
      adminConsole.close();
      adminInsight.close();
      await dicomweb?.settled();
      await audit.close();
      await core.close();
    },
  };
  return {
    workstation,
    api,
    dicomweb: dicomweb ? secureDicomweb(dicomweb, api) : undefined,
    dicomwebSettled: async () => dicomweb?.settled(),
    audit,
    alerts,
    prefetchNow: prefetch.now,
    broker,
    ward: feeds.ward,
  };
}
