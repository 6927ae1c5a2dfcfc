/**
 * `huizhen convert hl7v2 FILE`: bytes (one message or a batch) → a FHIR R4 collection Bundle,
 * with one Provenance per message naming the message and the source segment of each resource.
 */
import type { Bundle, BundleEntry, Provenance, Resource } from '@medplum/fhirtypes';
import { Hl7ParseError } from '../hl7-parse-error.ts';
import { readHeader } from '../message-header.ts';
import { readHl7Batch, type ReadOptions } from '../read-hl7-bytes.ts';
import type { ConvertedResource, Hl7ConversionOptions } from './conversion-context.ts';
import { convertHl7Message } from './convert-message.ts';
import { dateTime } from './datatypes.ts';
import { stableId } from './ids.ts';

export interface Hl7BundleOptions extends Hl7ConversionOptions, ReadOptions {}

export const PROVENANCE_NATIVE_ID_SYSTEM = 'urn:huizhen:hl7v2:native-id';

function provenanceFor(
  items: ConvertedResource[],
  controlId: string,
  sentAt: string | undefined,
  sender: string,
  namespace: string,
): Provenance {
  return {
    resourceType: 'Provenance',
    id: stableId('prov', namespace, controlId),
    target: items.map((i) => ({
      reference: `${i.resource.resourceType}/${i.resource.id ?? ''}`,
      extension: [{ url: PROVENANCE_NATIVE_ID_SYSTEM, valueString: i.nativeId }],
    })),
    recorded: sentAt && /T/.test(sentAt) ? sentAt : new Date(0).toISOString(),
    activity: { text: items[0]?.messageType ?? 'HL7 v2 message' },
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
        who: { display: sender || 'unknown sender' },
      },
    ],
    entity: [
      {
        role: 'source',
        what: { identifier: { system: 'urn:huizhen:hl7v2:msh-10', value: controlId }, display: items[0]?.messageType ?? 'HL7 v2 message' },
      },
    ],
  };
}

/** Throws only Hl7ParseError. */
export function convertHl7v2ToBundle(bytes: Uint8Array, options: Hl7BundleOptions = {}): Bundle {
  const batch = readHl7Batch(bytes, options);
  const entries: BundleEntry[] = [];
  let timestamp: string | undefined;
  try {
    for (const message of batch.messages) {
      const header = readHeader(message);
      const items = convertHl7Message(message, options);
      const sentAt = dateTime(header.dateTime, { defaultTimezone: options.defaultTimezone ?? '+08:00' });
      timestamp ??= sentAt && /T\d{2}:\d{2}:\d{2}/.test(sentAt) ? sentAt : undefined;
      const seen = new Set<string>();
      for (const item of items) {
        const key = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        entries.push({ resource: item.resource as Resource });
      }
      const controlId = messageKeyOf(items) ?? header.controlId;
      if (items.length > 0)
        entries.push({
          resource: provenanceFor(
            items,
            controlId,
            sentAt,
            [header.sendingApplication, header.sendingFacility].filter(Boolean).join(' / '),
            options.idNamespace ?? 'hl7v2',
          ),
        });
    }
  } catch (error) {
    if (error instanceof Hl7ParseError) throw error;
    throw new Hl7ParseError(
      `cannot build the bundle: ${error instanceof Error ? error.message.slice(0, 160) : 'unknown error'}`,
      {},
      { cause: error },
    );
  }
  return { resourceType: 'Bundle', type: 'collection', ...(timestamp ? { timestamp } : {}), entry: entries };
}

/** The message key used in native ids (MSH-10, or a digest when MSH-10 is empty). */
function messageKeyOf(items: ConvertedResource[]): string | undefined {
  const first = items[0]?.nativeId;
  return first ? first.slice(0, first.indexOf('/')) : undefined;
}
