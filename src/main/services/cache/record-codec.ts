import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import { FhirResourceSchema } from '../../../shared/domain/fhir.ts';
import { ProvenanceSchema } from '../../../shared/domain/provenance.ts';
import { encodeAad, open, seal } from '../keys/index.ts';
import { CacheError } from './cache-error.ts';

/**
 * How each sealed column is bound to its row. A ciphertext copied into another row (another
 * patient, source, record, type or key) carries the wrong additional data and fails to open.
 */
export const aad = {
  record: (patientRef: string, sourceId: string, resourceType: string, recordRef: string, keyId: string) =>
    encodeAad('huizhen-cache/record', [patientRef, sourceId, resourceType, recordRef, keyId]),
  label: (patientRef: string, keyId: string) => encodeAad('huizhen-cache/patient-label', [patientRef, keyId]),
  sync: (patientRef: string, sourceId: string, keyId: string) => encodeAad('huizhen-cache/sync', [patientRef, sourceId, keyId]),
  blob: (patientRef: string, blobRef: string, keyId: string) => encodeAad('huizhen-cache/blob', [patientRef, blobRef, keyId]),
  /** The stamp names every member's key id and revision: a view is bound to what it was derived from. */
  view: (viewRef: string, stamp: string) => encodeAad('huizhen-cache/view', [viewRef, stamp]),
};

const SourcedResourceSchema = z.object({ resource: FhirResourceSchema, provenance: ProvenanceSchema });

export const SyncStateSchema = z.object({
  /** When this source last answered for this patient (ISO 8601). */
  syncedAt: z.string().min(1),
  /** The source's validator for conditional requests, if it gave one. */
  etag: z.string().optional(),
});
export type SyncState = z.infer<typeof SyncStateSchema>;

/** The record's identity within (patient, source): resourceType/id, else the source-native id. */
export function recordIdOf(item: SourcedResource): string {
  const { resource, provenance } = item;
  return resource.id ? `${resource.resourceType}/${resource.id}` : provenance.nativeId;
}

export function sealJson(key: Uint8Array, value: unknown, additionalData: Uint8Array): Buffer {
  return seal(key, Buffer.from(JSON.stringify(value), 'utf8'), additionalData);
}

/** Opens and validates a sealed JSON column; a shape mismatch after authentication is `corrupt`. */
export function openJson<T>(key: Uint8Array, sealed: Uint8Array, additionalData: Uint8Array, schema: z.ZodType<T>, what: string): T {
  const plain = open(key, sealed, additionalData, what);
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new CacheError('corrupt', `${what} decrypted but is not JSON.`);
  } finally {
    plain.fill(0);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const path = result.error.issues[0]?.path.join('.') ?? '';
    throw new CacheError('corrupt', `${what} decrypted but has an unexpected shape (at "${path}").`);
  }
  return result.data;
}

export function openRecord(key: Uint8Array, sealed: Uint8Array, additionalData: Uint8Array): SourcedResource {
  return openJson(key, sealed, additionalData, SourcedResourceSchema, 'A cached record');
}
