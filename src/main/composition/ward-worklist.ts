import { createFhirAdapter } from '../../adapters/fhir/index.ts';
import { createHl7v2Adapter } from '../../adapters/hl7v2/index.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { CacheStore } from '../services/cache/index.ts';
import type { ClinicalAlerts } from '../services/clinical-alerts/index.ts';
import type { AdtArrived } from '../services/inbound-broker/index.ts';
import type { InboundOutcome } from '../services/inbound-hl7/index.ts';
import { buildTimeline } from '../services/timeline/index.ts';
import {
  combineCensusQueries,
  composeWardWorklist,
  fhirCensusQuery,
  hl7CensusQuery,
  fhirResultsQuery,
  sourceFlaggedCriticalCount,
  type CriticalCountPort,
  type WardWorklist,
} from '../services/worklist/index.ts';
import type { Workstation } from './create-workstation.ts';

export interface WardWorklistFeeds {
  ward: WardWorklist;
  /** For the inbound MLLP listener: a stored frame (ADT ones update the census). */
  onStoredFrame(frame: Uint8Array, outcome: Extract<InboundOutcome, { kind: 'stored' }>): void;
  /** For the broker subscription: a stored ADT event of a ward. */
  onAdtArrived(event: AdtArrived): void;
}

/**
 * The worklist's critical badge: critical values among a patient's new results that nobody has
 * acknowledged, as the clinical-alerts service judges them (configured limits and source flags),
 * over the cached records the row already read (their provenance keys the acknowledgements).
 */
function unacknowledgedCritical(alerts: ClinicalAlerts): CriticalCountPort {
  return ({ newRecords }) => {
    if (newRecords.length === 0) return 0;
    return alerts.unacknowledgedCount(buildTimeline([...newRecords]));
  };
}

/**
 * The ward census and worklist of one workstation: asked live from the FHIR CDRs and the HISs
 * that answer the census query, fed by HL7 v2 ADT from the MLLP listener and the broker, badged
 * by clinical alerts, and driving prefetch.
 */
export function composeWardFeeds(
  config: HuizhenConfig,
  ports: {
    sourcesConfig: HuizhenConfig;
    core: Workstation;
    cache: CacheStore | undefined;
    alerts: ClinicalAlerts;
    log: (line: string) => void;
  },
): WardWorklistFeeds {
  const { cache, core, log } = ports;
  const censusSources = ports.sourcesConfig.sources.flatMap((s) =>
    s.kind === 'fhir' && s.enabled ? [{ id: s.id, adapter: createFhirAdapter(s) }] : [],
  );
  // HISs that answer the census query (IHE ITI-22, "census" in their services); the others only push ADT.
  const hisCensusSources = ports.sourcesConfig.sources.flatMap((s) =>
    s.kind === 'hl7v2' && s.enabled && s.services.includes('census') ? [{ id: s.id, adapter: createHl7v2Adapter(s) }] : [],
  );
  const censusQuery = combineCensusQueries([
    ...(censusSources.length > 0 ? [fhirCensusQuery(censusSources)] : []),
    ...(hisCensusSources.length > 0 ? [hl7CensusQuery(hisCensusSources)] : []),
  ]);
  const ward = composeWardWorklist({
    ...(cache ? { cache } : {}),
    careWindowDays: config.access.careWindowDays,
    prefetch: Boolean(config.prefetch),
    loadRecord: (refs, signal) => core.loadTimeline(refs, signal),
    criticalCount: cache ? unacknowledgedCritical(ports.alerts) : sourceFlaggedCriticalCount,
    ...(censusQuery ? { censusQuery } : {}),
    resultsQuery: fhirResultsQuery(censusSources),
    resultsSources: censusSources.map((s) => s.id),
    log,
  });
  return {
    ward,
    onStoredFrame: (frame, outcome) => ward.onStoredFrame(frame, outcome.patients, outcome.messageType),
    onAdtArrived(event) {
      // FHIR ADT events carry no HL7 frame; the CDR's census is asked live instead.
      if (event.format === 'hl7v2') ward.onStoredFrame(event.body, event.patients, event.messageType);
    },
  };
}
