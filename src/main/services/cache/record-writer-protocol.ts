/**
 * What the main thread and the record writer (record-writer-worker.ts) say to each other. The
 * records themselves go by structured clone; the cache checks their envelope before they are
 * handed over (record-rows.ts), so here only the frame around them is checked.
 */
import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { CacheErrorCode } from './cache-error.ts';

/** Keys the writer needs to seal rows and create patients; copies, wiped by the writer on close. */
const BytesSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array);

export const WriterKeysSchema = z.object({
  masterKey: BytesSchema,
  masterKeyId: z.string().min(1),
  indexKey: BytesSchema,
  blind: BytesSchema,
  blobName: BytesSchema,
});

export const WriterSetupSchema = z.object({
  directory: z.string().min(1),
  keys: WriterKeysSchema,
  maxPageCount: z.number().int().positive().optional(),
});
export type WriterSetup = z.infer<typeof WriterSetupSchema>;

const RecordWriteSchema = z.object({
  patientKey: z.string().min(1),
  sourceId: z.string().min(1),
  // The envelope of each record is checked by the cache's own assertions on both threads.
  records: z.array(z.custom<SourcedResource>((value) => typeof value === 'object' && value !== null)),
  serialized: z.array(BytesSchema).optional(),
});

export const WriterRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('batch'), id: z.number().int(), now: z.number(), writes: z.array(RecordWriteSchema) }),
  z.object({ kind: z.literal('close') }),
]);
export type WriterRequest = z.infer<typeof WriterRequestSchema>;

const CacheErrorCodeSchema = z.enum([
  'wrong-key',
  'tampered',
  'corrupt',
  'key-store-changed',
  'key-store-unavailable',
  'insecure-backend',
  'disk-full',
  'unsupported-version',
  'closed',
  'invalid-input',
  'io',
] satisfies [CacheErrorCode, ...CacheErrorCode[]]);

export const WriterReplySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  /** The writer could not open its connection: the store writes on its own thread instead. */
  z.object({ kind: z.literal('unavailable'), reason: z.string() }),
  z.object({ kind: z.literal('written'), id: z.number().int(), revisions: z.array(z.string()) }),
  z.object({ kind: z.literal('failed'), id: z.number().int(), code: CacheErrorCodeSchema, message: z.string() }),
]);
export type WriterReply = z.infer<typeof WriterReplySchema>;
