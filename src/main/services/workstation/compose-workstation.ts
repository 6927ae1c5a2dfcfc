import { endpointFromConfig } from '../../../adapters/dicomweb/index.ts';
import type { FetchHandler } from '../api/fetch-handler.ts';
export type { FetchHandler } from '../api/fetch-handler.ts';
import type { HuizhenConfig, InboundHl7Config } from '../../../shared/config/schema.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { startInboundHl7Listener } from '../inbound-hl7/index.ts';
import { createDicomwebProxy } from '../dicomweb-proxy/index.ts';
import type { KeyProtector } from '../security/key-protector.ts';
import { createWorkstation, type Workstation } from './create-workstation.ts';
import { openConfiguredCache } from './open-cache.ts';
import { prefetchPatients, type PrefetchReport } from './prefetch.ts';
import { createSecuredApi, type SecuredApi } from '../access/secured-api.ts';
import { secureDicomweb } from '../access/secured-dicomweb.ts';
import { createRolePolicy } from '../access/role-policy.ts';
import { createPrivacyMasking } from '../access/privacy-masking.ts';
import { auditUserOf, type AccessAuditEvent } from '../access/audit-port.ts';
import { openAuditTrail, type AuditTrail } from './open-audit-trail.ts';
import { signInMethods } from './sign-in-methods.ts';
import { createDeidentifiedExporter } from './deidentified-exporter.ts';
import { resolveCacheDirectory } from './open-cache.ts';
import { withResolvedCredentials } from '../credentials/index.ts';
import { besideCache } from '../cache/cache-paths.ts';
import { composeWardWorklist, fhirCensusQuery, fhirResultsQuery, type WardWorklist } from '../worklist/index.ts';
import { createFhirAdapter } from '../../../adapters/fhir/index.ts';

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


export interface ComposedWorkstation {
  /** The core, unguarded: for the CLI's own use and tests; hosts serve `api` only. */
  workstation: Workstation;
  /** What every host serves to the renderer: sign-in, roles, break-the-glass, masking, audit. */
  api: SecuredApi;
  /** The app's own DICOMweb endpoint for the viewer (behind the same access rules), mounted at "/dicom-web/" by each host. */
  dicomweb: FetchHandler | undefined;
  audit: AuditTrail;
  /** Runs the configured prefetch now (it also runs in the background at start and on its interval). */
  prefetchNow(): Promise<PrefetchReport | undefined>;
  /** The ward census and worklist (issue 16). */
  ward: WardWorklist;
}

/**
 * Everything a host runs, built the same way for the desktop shell and the browser host: the
 * encrypted cache (its key protected by `protector`), the workstation over it, and the DICOMweb
 * proxy that serves the viewer from that cache or the PACS. Hosts differ only in the protector.
 */
export async function composeWorkstation(
  config: HuizhenConfig,
  options: {
    protector: () => KeyProtector | Promise<KeyProtector>;
    log?: (line: string) => void;
    /** Opens the identity provider's sign-in page in the system browser (desktop shell). */
    openExternal?: (url: string) => void;
  },
): Promise<ComposedWorkstation> {
  const log = options.log ?? (() => {});
  const protector = config.cache?.enabled ? await options.protector() : undefined;
  const cache = protector ? await openConfiguredCache(config.cache, () => protector) : undefined;
  // Source credentials named by reference come out of the vault here, in main, and go no further
  // than the adapters; the audit trail's configuration digest is taken over the unresolved file.
  const sourcesConfig = await withResolvedCredentials(config, cache).catch((error: unknown) => {
    cache?.close();
    throw error;
  });
  if (cache) {
    for (const q of cache.openReport.quarantined) log(`cache: a damaged file was moved aside: ${JSON.stringify(q)}`);
    const purged = await cache.purgeExpired();
    if (purged > 0) log(`cache: ${purged} patients past the retention period were purged`);
  }
  // Pushes that arrive while a patient is open refresh that patient's timeline at once.
  let refresh: (ref: SourcePatientRef) => void = () => {};
  // ── ward worklist (issue 16): the census is fed by the inbound path, read by the worklist and prefetch ──
  let loadRecord: Parameters<typeof composeWardWorklist>[0]['loadRecord'] = () => Promise.resolve({ resources: [] });
  const censusSources = sourcesConfig.sources.flatMap((s) => (s.kind === 'fhir' && s.enabled ? [{ id: s.id, adapter: createFhirAdapter(s) }] : []));
  const ward = composeWardWorklist({ ...(cache ? { cache } : {}), careWindowDays: config.access.careWindowDays, prefetch: Boolean(config.prefetch), loadRecord: (refs, signal) => loadRecord(refs, signal), censusQuery: fhirCensusQuery(censusSources), resultsQuery: fhirResultsQuery(censusSources), resultsSources: censusSources.map((s) => s.id), log });
  // ── end ward worklist ──
  const inbound =
    cache && config.inboundHl7?.enabled
      ? await startInboundHl7Listener({ config: inboundConfig(config), store: cache, log, onPatientUpdated: (ref) => refresh(ref), onStored: (frame, o) => ward.onStoredFrame(frame, o.patients, o.messageType) })
      : undefined;
  if (config.inboundHl7?.enabled && !cache) log('inbound HL7: disabled, it needs the cache to store what it acknowledges');
  if (inbound) log(`inbound HL7: listening on ${inbound.host}:${inbound.port}`);
  const stopPrefetch = new AbortController();
  let timer: ReturnType<typeof setInterval> | undefined;
  const audit = await openAuditTrail(config, cache, log);
  // The core names who confirmed or unlinked records; that is whoever is signed in.
  let currentUserId = (): string => 'nobody';
  let recordLinkEvent: (event: AccessAuditEvent) => void = () => {};
  const workstation = await createWorkstation(sourcesConfig, {
    ...(cache ? { cache } : {}),
    log,
    userId: () => currentUserId(),
    auditEvents: (event) =>
      recordLinkEvent({
        action: event.action === 'unlink' ? 'identity-unlink' : 'identity-link',
        outcome: 'success',
        patient: { refs: [event.a, event.b] },
        // The clinician's note goes in the detail: `reason` is a break-the-glass reason (BTG in FHIR).
        entity: { type: 'Patient', detail: [event.matcher ? `matcher ${event.matcher.outcome} ${event.matcher.score.toFixed(1)}` : 'manual', ...(event.note ? [`note: ${event.note}`] : [])].join('; ') },
      }),
    // Stop prefetching and accepting pushes (finishing the one being stored) before the cache closes.
    beforeClose: async () => {
      stopPrefetch.abort();
      ward.stop();
      if (timer) clearInterval(timer);
      await inbound?.close();
      api.close();
      await audit.close();
    },
  });
  loadRecord = (refs, signal) => workstation.loadTimeline(refs, signal);
  refresh = (ref) => {
    workstation.refreshFromCache(ref).catch((error: unknown) => log(`inbound HL7: refreshing an open patient failed: ${String(error)}`));
  };
  const pacs = sourcesConfig.sources.flatMap((s) => (s.kind === 'dicomweb' && s.enabled ? [{ sourceId: s.id, endpoint: endpointFromConfig(s) }] : []));
  const dicomweb =
    pacs.length > 0
      ? createDicomwebProxy({ sources: pacs, ...(cache ? { cache } : {}), patientKeyFor: (uid) => workstation.patientKeyForStudy(uid), log })
      : undefined;
  const api = createSecuredApi({
    core: workstation,
    methods: signInMethods(config.auth, options.openExternal),
    idleLockMinutes: config.auth.idleLockMinutes,
    sessionMaxHours: config.auth.sessionMaxHours,
    policy: createRolePolicy(config.access),
    access: config.access,
    audit: audit.record,
    masking: createPrivacyMasking(config.privacy),
    worklist: ward.worklist,
    ...(cache
      ? {
          exporter: createDeidentifiedExporter({ root: besideCache(resolveCacheDirectory(config.cache!), 'exports'), privacy: config.privacy, dicomweb }),
          onSignOut: () => {
            cache.onLogout().then(
              (purged) => purged > 0 && log(`cache: ${purged} patients purged on sign-out`),
              (error: unknown) => log(`cache: purge on sign-out failed: ${String(error)}`),
            );
          },
        }
      : {}),
    log,
  });
  currentUserId = () => api.session.currentUser()?.id ?? 'nobody';
  recordLinkEvent = (event) => {
    const user = api.session.currentUser();
    api.audit({ ...event, ...(user ? { user: auditUserOf(user) } : { attemptedUser: 'nobody' }) }).catch(() => {});
  };

  let running: Promise<PrefetchReport | undefined> | undefined;
  const prefetchNow = () => {
    if (!cache || !config.prefetch) return Promise.resolve(undefined);
    running ??= prefetchPatients(workstation, config.prefetch, dicomweb, stopPrefetch.signal)
      .then(async (report) => {
        const census = await ward.sweep();
        log(`prefetch: census ${census.prefetched} admitted patients fetched ahead, ${census.purged} discharged past the care window purged`);
        const cached = report.patients.filter((p) => p.outcome === 'cached').length;
        log(`prefetch: ${cached}/${report.patients.length} patients cached${report.patients.some((p) => p.outcome !== 'cached') ? ` (${report.patients.filter((p) => p.outcome !== 'cached').map((p) => `${p.query}: ${p.outcome}`).join(', ')})` : ''}`);
        return report;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  if (cache && config.prefetch) {
    void prefetchNow();
    if (config.prefetch.intervalMinutes > 0) {
      timer = setInterval(() => void prefetchNow(), config.prefetch.intervalMinutes * 60_000);
      timer.unref();
    }
  } else if (config.prefetch) {
    log('prefetch: disabled, it needs the cache');
  }
  return { workstation, api, dicomweb: dicomweb ? secureDicomweb(dicomweb, api) : undefined, audit, prefetchNow, ward };
}
