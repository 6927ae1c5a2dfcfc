import { endpointFromConfig } from '../../../adapters/dicomweb/index.ts';
import type { HuizhenConfig, InboundHl7Config } from '../../../shared/config/schema.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { startInboundHl7Listener } from '../inbound-hl7/index.ts';
import { createDicomwebProxy } from '../dicomweb-proxy/index.ts';
import type { KeyProtector } from '../security/key-protector.ts';
import { createWorkstation, type Workstation } from './create-workstation.ts';
import { openConfiguredCache } from './open-cache.ts';

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

export type FetchHandler = (request: Request) => Promise<Response>;

export interface ComposedWorkstation {
  workstation: Workstation;
  /** The app's own DICOMweb endpoint for the viewer, mounted at "/dicom-web/" by each host. */
  dicomweb: FetchHandler | undefined;
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
  const workstation = await createWorkstation(config, {
    ...(cache ? { cache } : {}),
    log,
    // Stop accepting pushes (and finish the one being stored) before the cache closes.
    ...(inbound ? { beforeClose: () => inbound.close() } : {}),
  });
  refresh = (ref) => {
    workstation.refreshFromCache(ref).catch((error: unknown) => log(`inbound HL7: refreshing an open patient failed: ${String(error)}`));
  };
  const pacs = config.sources.flatMap((s) => (s.kind === 'dicomweb' && s.enabled ? [{ sourceId: s.id, endpoint: endpointFromConfig(s) }] : []));
  const dicomweb =
    pacs.length > 0
      ? createDicomwebProxy({ sources: pacs, ...(cache ? { cache } : {}), patientKeyFor: (uid) => workstation.patientKeyForStudy(uid), log })
      : undefined;
  return { workstation, dicomweb };
}
