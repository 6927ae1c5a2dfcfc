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
  workstation: Workstation;
  /** The app's own DICOMweb endpoint for the viewer, mounted at "/dicom-web/" by each host. */
  dicomweb: FetchHandler | undefined;
  /** Runs the configured prefetch now (it also runs in the background at start and on its interval). */
  prefetchNow(): Promise<PrefetchReport | undefined>;
}

/**
 * Everything a host runs, built the same way for the desktop shell and the browser host: the
 * encrypted cache (its key protected by `protector`), the workstation over it, and the DICOMweb
 * proxy that serves the viewer from that cache or the PACS. Hosts differ only in the protector.
 */
export async function composeWorkstation(
  config: HuizhenConfig,
  options: { protector: () => KeyProtector | Promise<KeyProtector>; log?: (line: string) => void },
): Promise<ComposedWorkstation> {
  const log = options.log ?? (() => {});
  const protector = config.cache?.enabled ? await options.protector() : undefined;
  const cache = protector ? await openConfiguredCache(config.cache, () => protector) : undefined;
  if (cache) {
    for (const q of cache.openReport.quarantined) log(`cache: a damaged file was moved aside: ${JSON.stringify(q)}`);
    const purged = await cache.purgeExpired();
    if (purged > 0) log(`cache: ${purged} patients past the retention period were purged`);
  }
  // Pushes that arrive while a patient is open refresh that patient's timeline at once.
  let refresh: (ref: SourcePatientRef) => void = () => {};
  const inbound =
    cache && config.inboundHl7?.enabled
      ? await startInboundHl7Listener({ config: inboundConfig(config), store: cache, log, onPatientUpdated: (ref) => refresh(ref) })
      : undefined;
  if (config.inboundHl7?.enabled && !cache) log('inbound HL7: disabled, it needs the cache to store what it acknowledges');
  if (inbound) log(`inbound HL7: listening on ${inbound.host}:${inbound.port}`);
  const stopPrefetch = new AbortController();
  let timer: ReturnType<typeof setInterval> | undefined;
  const workstation = await createWorkstation(config, {
    ...(cache ? { cache } : {}),
    log,
    // Stop prefetching and accepting pushes (finishing the one being stored) before the cache closes.
    beforeClose: async () => {
      stopPrefetch.abort();
      if (timer) clearInterval(timer);
      await inbound?.close();
    },
  });
  refresh = (ref) => {
    workstation.refreshFromCache(ref).catch((error: unknown) => log(`inbound HL7: refreshing an open patient failed: ${String(error)}`));
  };
  const pacs = config.sources.flatMap((s) => (s.kind === 'dicomweb' && s.enabled ? [{ sourceId: s.id, endpoint: endpointFromConfig(s) }] : []));
  const dicomweb =
    pacs.length > 0
      ? createDicomwebProxy({ sources: pacs, ...(cache ? { cache } : {}), patientKeyFor: (uid) => workstation.patientKeyForStudy(uid), log })
      : undefined;

  let running: Promise<PrefetchReport | undefined> | undefined;
  const prefetchNow = () => {
    if (!cache || !config.prefetch) return Promise.resolve(undefined);
    running ??= prefetchPatients(workstation, config.prefetch, dicomweb, stopPrefetch.signal)
      .then((report) => {
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
  return { workstation, dicomweb, prefetchNow };
}
