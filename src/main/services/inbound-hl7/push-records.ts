/**
 * A converted push → the record sets to store, one per patient in the message. Each PID opens a
 * patient's group (the resources after it, up to the next PID, are that patient's, MRG's prior
 * record included); its identifier of the configured authority is the cache key's patient id,
 * the same id the pull adapter fetches by, so pushed and pulled records land together.
 */
import type { Hl7Message } from '../../../adapters/hl7v2/hl7-message.ts';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { ConvertedResource } from '../../../adapters/hl7v2/to-fhir/conversion-context.ts';
import { ownIdentifier } from '../../../adapters/hl7v2/to-fhir/patient.ts';
import type { AckProblem } from './inbound-ack.ts';

export interface PatientPush {
  sourcePatientId: string;
  records: SourcedResource[];
}

export interface PushSource {
  sourceId: string;
  sourceName: string;
  patientIdAuthority: string | undefined;
  receivedAt: string;
}

export type PushGrouping = { ok: true; pushes: PatientPush[] } | { ok: false; problem: AckProblem };

/** nativeId is "<MSH-10>/<segment>/<occurrence>"; the control id itself may contain "/". */
function segmentOf(item: ConvertedResource): string {
  const parts = item.nativeId.split('/');
  return parts[parts.length - 2] ?? '';
}

export function groupByPatient(message: Hl7Message, converted: readonly ConvertedResource[], source: PushSource): PushGrouping {
  const pids = message.all('PID');
  if (pids.length === 0)
    return {
      ok: false,
      problem: {
        errorCode: '100',
        text: 'the message has no PID segment: there is no patient to store it under',
        location: { segment: 'PID' },
      },
    };
  const ids: string[] = [];
  for (const [i, pid] of pids.entries()) {
    const own = ownIdentifier(pid, source.patientIdAuthority);
    if (!own) {
      const which = source.patientIdAuthority ? `of assigning authority "${source.patientIdAuthority}"` : '';
      return {
        ok: false,
        problem: {
          errorCode: '101',
          text: `PID-3 has no patient identifier ${which}`.trim(),
          location: { segment: 'PID', sequence: i + 1, field: 3 },
        },
      };
    }
    ids.push(own.value);
  }
  const byPatient = new Map<string, SourcedResource[]>();
  let current: string | undefined;
  let pidSeen = 0;
  for (const item of converted) {
    if (segmentOf(item) === 'PID' && item.resource.resourceType === 'Patient') current = ids[pidSeen++];
    if (current === undefined) {
      return {
        ok: false,
        problem: { errorCode: '100', text: `${segmentOf(item)} comes before any PID segment`, location: { segment: segmentOf(item) } },
      };
    }
    const records = byPatient.get(current) ?? [];
    records.push({
      resource: item.resource,
      provenance: {
        sourceId: source.sourceId,
        sourceName: source.sourceName,
        sourceKind: 'hl7v2',
        nativeId: item.nativeId,
        messageType: `${item.messageType} (push)`,
        fetchedAt: source.receivedAt,
      },
    });
    byPatient.set(current, records);
  }
  return { ok: true, pushes: [...byPatient].map(([sourcePatientId, records]) => ({ sourcePatientId, records })) };
}
