/**
 * What crosses between the listener's thread and the conversion worker, checked with zod on
 * both sides: the worker's settings (once, as workerData), a job (one frame), and its result.
 */
import type { Resource } from '@medplum/fhirtypes';
import { deserialize } from 'node:v8';
import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import { InboundHl7SenderSchema } from '../../../shared/config/inbound-hl7.ts';
import { UnitMappingSchema } from '../../../shared/config/mappings.ts';
import { ProvenanceSchema } from '../../../shared/domain/provenance.ts';

export const ConversionSettingsSchema = z.object({
  sourceId: z.string().min(1),
  sourceName: z.string().min(1),
  patientIdAuthority: z.string().optional(),
  identifierSystems: z.record(z.string(), z.string()),
  fallbackCharset: z.string(),
  allowedSenders: z.array(InboundHl7SenderSchema).optional(),
  /** The hospital's unit spellings (configuration `mappings.units`): the worker's thread has its own copy of the table. */
  unitSpellings: z.array(UnitMappingSchema).optional(),
});
export type ConversionSettings = z.infer<typeof ConversionSettingsSchema>;

export const ConversionJobSchema = z.object({
  id: z.number().int(),
  frame: z.instanceof(Uint8Array),
  receivedAt: z.string(),
});
export type ConversionJob = z.infer<typeof ConversionJobSchema>;

const AckProblemSchema = z.object({
  errorCode: z.enum(['100', '101', '102', '103', '200', '201', '202', '207']),
  text: z.string(),
  location: z.object({ segment: z.string(), sequence: z.number().optional(), field: z.number().optional() }).optional(),
});

const HeaderSchema = z.object({
  sendingApplication: z.string(),
  sendingFacility: z.string(),
  receivingApplication: z.string(),
  receivingFacility: z.string(),
  dateTime: z.string(),
  messageType: z.string(),
  messageCode: z.string(),
  triggerEvent: z.string(),
  controlId: z.string(),
  processingId: z.string(),
  version: z.string(),
  charset: z.string(),
});

export const ConversionResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unreadable'), problem: AckProblemSchema, controlId: z.string() }),
  z.object({
    kind: z.literal('refused'),
    status: z.enum(['error', 'rejected']),
    problem: AckProblemSchema,
    mshLine: z.string(),
    charset: z.string(),
  }),
  z.object({
    kind: z.literal('converted'),
    mshLine: z.string(),
    charset: z.string(),
    header: HeaderSchema,
    /** Per patient: its records as serialised arrays of SourcedResource (v8 structured clone), a bounded number each. */
    pushes: z.array(z.object({ sourcePatientId: z.string().min(1), chunks: z.array(z.instanceof(Uint8Array)) })),
    records: z.number().int().min(0),
  }),
]);
export type ConversionResult = z.infer<typeof ConversionResultSchema>;

export const WorkerReplySchema = z.object({
  id: z.number().int(),
  result: ConversionResultSchema,
  /** The worker thread's CPU time in ms, in total once this job was done (absent where the runtime cannot read it). */
  cpuTotalMs: z.number().optional(),
  /** The same, spent on this job. */
  cpuMs: z.number().optional(),
  /** Unit-table entries this job's conversion used, counted in the worker's own copy of the table (absent when none). */
  unitUses: z
    .array(z.object({ spelling: z.string(), origin: z.enum(['built-in', 'configured']), uses: z.number().int().positive() }))
    .optional(),
});
export type WorkerReply = z.infer<typeof WorkerReplySchema>;

const ResourceShape = z.custom<Resource>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { resourceType?: unknown }).resourceType === 'string',
);
const RecordChunkSchema = z.array(z.object({ resource: ResourceShape, provenance: ProvenanceSchema }));

/** One chunk of records back into objects; throws (zod or the deserialiser) on anything malformed. */
export function readRecordChunk(chunk: Uint8Array): SourcedResource[] {
  return RecordChunkSchema.parse(deserialize(chunk));
}

/** The chunks' memory, handed to the listener's thread without a copy (postMessage's transfer list). */
export function transferablesOf(result: ConversionResult): ArrayBuffer[] {
  if (result.kind !== 'converted') return [];
  const buffers = new Set<ArrayBuffer>();
  for (const push of result.pushes) for (const chunk of push.chunks) if (chunk.buffer instanceof ArrayBuffer) buffers.add(chunk.buffer);
  return [...buffers];
}
