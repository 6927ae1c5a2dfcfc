import { createFhirAdapter } from '../../adapters/fhir/index.ts';
import { createHl7v2Adapter } from '../../adapters/hl7v2/index.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { SourcePatientRef } from '../../shared/domain/source.ts';
import type { CacheStore } from '../services/cache/index.ts';
import type { ClinicalAlerts } from '../services/clinical-alerts/index.ts';
import type { AdtArrived } from '../services/inbound-broker/index.ts';
import type { InboundOutcome } from '../services/inbound-hl7/index.ts';
import { buildTimeline } from '../services/timeline/index.ts';
import { nationalIdValues } from '../services/identity/index.ts';
import {
  combineCensusQueries,
  composeWardWorklist,
  countAbnormalEntries,
  fhirCensusQuery,
  hl7CensusQuery,
  fhirResultsQuery,
  type ResultJudgePort,
  type WardWorklist,
} from '../services/worklist/index.ts';
import type { Workstation } from './create-workstation.ts';

export interface WardWorklistFeeds {
  ward: WardWorklist;
  /** For the inbound MLLP listener: a stored frame (ADT ones update the census). */
  onStoredFrame(frame: Uint8Array, outcome: Extract<InboundOutcome, { kind: 'stored' }>): void;
  /** For the broker subscription: a stored ADT event of a ward (HL7 v2 or FHIR). */
  onAdtArrived(event: AdtArrived): void;
  /** For every inbound path: a push was stored for this record (the worklist re-reads when the patient is on it). */
  onPatientUpdated(ref: SourcePatientRef): void;
}

/**
 * The worklist's badges, as the clinical-alerts service judges a patient's new results: critical
 * values nobody has acknowledged, and abnormal ones (the source's flag, the reported range, or a
 * configured critical limit), over the records the row already read (their provenance keys the
 * acknowledgements; the timeline normalises their units for the limits).
 */
function judgedByAlerts(alerts: ClinicalAlerts): ResultJudgePort {
  return ({ newRecords }) => {
    if (newRecords.length === 0) return { abnormal: 0, critical: 0 };
    const entries = buildTimeline(newRecords.filter((r) => r.resource.resourceType === 'Observation'));
    return {
      abnormal: countAbnormalEntries(entries, (entry) => alerts.isCriticalValue(entry)),
      critical: alerts.unacknowledgedCount(entries),
    };
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
  // Every census and results call goes through the status board, as searches and opens do: a
  // CDR asked for the census that kept silent must not read "not asked yet".
  const watched = <T>(id: string, read: () => Promise<T>) => core.watchSourceCall(id, read);
  const censusSources = ports.sourcesConfig.sources.flatMap((s) => {
    if (s.kind !== 'fhir' || !s.enabled) return [];
    const adapter = createFhirAdapter(s);
    return [
      {
        id: s.id,
        adapter: {
          fetchCensus: (...args: Parameters<typeof adapter.fetchCensus>) => watched(s.id, () => adapter.fetchCensus(...args)),
          fetchResults: (...args: Parameters<typeof adapter.fetchResults>) => watched(s.id, () => adapter.fetchResults(...args)),
        },
      },
    ];
  });
  // HISs that answer the census query (IHE ITI-22, "census" in their services); the others only push ADT.
  const hisCensusSources = ports.sourcesConfig.sources.flatMap((s) => {
    if (s.kind !== 'hl7v2' || !s.enabled || !s.services.includes('census')) return [];
    const adapter = createHl7v2Adapter(s);
    return [
      {
        id: s.id,
        adapter: { fetchCensus: (...args: Parameters<typeof adapter.fetchCensus>) => watched(s.id, () => adapter.fetchCensus(...args)) },
      },
    ];
  });
  const censusQuery = combineCensusQueries([
    ...(censusSources.length > 0 ? [fhirCensusQuery(censusSources)] : []),
    ...(hisCensusSources.length > 0 ? [hl7CensusQuery(hisCensusSources)] : []),
  ]);
  const ward = composeWardWorklist({
    ...(cache ? { cache } : {}),
    careWindowDays: config.access.careWindowDays,
    prefetch: Boolean(config.prefetch),
    loadRecord: (refs, signal) => core.loadTimeline(refs, signal),
    // One row per person: the stays' records linked as a search links them. A "possible" match
    // stays two rows until a clinician confirms it (search offers that); one row would hide it.
    nationalIds: nationalIdValues,
    // The search a clinician would run for the 身份证: the person it links to the admitted record.
    async wholePerson(nationalId, ref) {
      const { candidates } = await core.handlers.searchPatients({ query: nationalId });
      const same = (r: SourcePatientRef) => r.sourceId === ref.sourceId && r.sourcePatientId === ref.sourcePatientId;
      return candidates.find((c) => c.link.outcome === 'linked' && c.refs.some(same))?.refs ?? [];
    },
    linkPersons: (patients) => core.linkPersons(patients).filter((person) => person.link.outcome === 'linked'),
    ...(cache ? { judgeResults: judgedByAlerts(ports.alerts) } : {}),
    ...(censusQuery ? { censusQuery } : {}),
    resultsQuery: fhirResultsQuery(censusSources),
    resultsSources: censusSources.map((s) => s.id),
    log,
  });
  return {
    ward,
    onStoredFrame: (frame, outcome) => ward.onStoredFrame(frame, outcome.patients, outcome.messageType),
    onAdtArrived(event) {
      if (event.format === 'hl7v2') ward.onStoredFrame(event.body, event.patients, event.messageType);
      else ward.onFhirAdt(event.body, event.patients);
    },
    onPatientUpdated: (ref) => ward.onRecordStored(ref),
  };
}
