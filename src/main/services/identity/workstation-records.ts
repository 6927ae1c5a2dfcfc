import type { Basic } from '@medplum/fhirtypes';
import type { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { CacheStore } from '../cache/index.ts';

/**
 * The cache "patient" under which the workstation keeps its own small documents (link
 * decisions). Records, not blobs: blobs are evicted by the image size budget, and losing a
 * clinician's unlink would silently re-merge two people.
 */
export const WORKSTATION_CACHE_KEY = 'huizhen:workstation';

const SYSTEM = 'urn:huizhen:workstation';
const PAYLOAD_URL = `${SYSTEM}:payload`;

/** One kind of workstation document: stored as its own "source" so it can be read alone. */
export interface WorkstationRecordKind<T> {
  kind: string;
  schema: z.ZodType<T>;
}

const sourceIdOf = (kind: string) => `huizhen-${kind}`;

/** A FHIR Basic resource carrying the value as JSON: the cache stores only sourced resources. */
function toRecord(kind: string, id: string, value: unknown, at: string): SourcedResource<Basic> {
  return {
    resource: {
      resourceType: 'Basic',
      id,
      code: { coding: [{ system: SYSTEM, code: kind }] },
      extension: [{ url: PAYLOAD_URL, valueString: JSON.stringify(value) }],
    },
    provenance: {
      sourceId: sourceIdOf(kind),
      sourceName: 'Huizhen workstation',
      sourceKind: 'fhir',
      nativeId: `Basic/${id}`,
      fetchedAt: at,
    },
  };
}

export class WorkstationRecordError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkstationRecordError';
  }
}

function fromRecord<T>(kind: WorkstationRecordKind<T>, record: SourcedResource): T {
  const where = `${kind.kind} record ${record.provenance.nativeId}`;
  if (record.resource.resourceType !== 'Basic') throw new WorkstationRecordError(`${where}: not a Basic resource`);
  const payload = (record.resource as Basic).extension?.find((e) => e.url === PAYLOAD_URL)?.valueString;
  if (payload === undefined) throw new WorkstationRecordError(`${where}: no payload extension`);
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    throw new WorkstationRecordError(`${where}: payload is not JSON`, { cause: error });
  }
  const parsed = kind.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkstationRecordError(`${where}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

/** Upserts one document under `id` (same id replaces), and keeps the key clear of retention purges. */
export async function putWorkstationRecord<T>(
  cache: CacheStore,
  kind: WorkstationRecordKind<T>,
  id: string,
  value: T,
  at: string,
): Promise<void> {
  await cache.putRecords(WORKSTATION_CACHE_KEY, sourceIdOf(kind.kind), [toRecord(kind.kind, id, value, at)]);
}

/**
 * Every readable document of this kind; unreadable ones are reported (the cache quarantines
 * records it cannot decrypt) and skipped rather than failing the workstation's start.
 */
export async function readWorkstationRecords<T>(
  cache: CacheStore,
  kind: WorkstationRecordKind<T>,
  onBad: (error: Error) => void,
): Promise<T[]> {
  const { records, failures } = await cache.getRecords(WORKSTATION_CACHE_KEY, { sourceId: sourceIdOf(kind.kind) });
  for (const f of failures) onBad(f.error);
  const values: T[] = [];
  for (const record of records) {
    try {
      values.push(fromRecord(kind, record));
    } catch (error) {
      onBad(error instanceof Error ? error : new WorkstationRecordError(String(error)));
    }
  }
  if (await cache.hasPatient(WORKSTATION_CACHE_KEY)) await cache.touch(WORKSTATION_CACHE_KEY);
  return values;
}
