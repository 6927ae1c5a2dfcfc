import { z } from 'zod';
import { Hl7v2CharsetSchema } from './sources/hl7v2.ts';
import { HostSchema, SourceIdSchema } from './sources/common.ts';

/** An HL7 HD namespace id as written in MSH-3/MSH-4: no delimiters, no line breaks. */
const Hl7NameSchema = z
  .string()
  .max(227)
  .regex(/^[^|^~\\&\r\n]*$/, 'must not contain HL7 delimiters (| ^ ~ \\ &) or line breaks');

/** One sender allowed to push: MSH-3 (and MSH-4 when given; omitted means any facility). */
export const InboundHl7SenderSchema = z
  .object({
    application: Hl7NameSchema.min(1),
    facility: Hl7NameSchema.optional(),
  })
  .strict();
export type InboundHl7Sender = z.infer<typeof InboundHl7SenderSchema>;

/**
 * The optional inbound MLLP listener: a HIS/LIS pushes ADT and ORU^R01 messages, which are
 * stored in the encrypted cache under the configured source's patient records. It listens on
 * loopback unless an administrator names another address: a listener on all interfaces
 * accepts patient data from anyone on the network.
 */
export const InboundHl7ConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Address to bind. "0.0.0.0" or "::" (all interfaces) only when written here explicitly. */
    host: HostSchema.default('127.0.0.1'),
    /** 2575 is the IANA port for HL7 over MLLP; 0 picks a free port (tests). */
    port: z.number().int().min(0).max(65_535).default(2575),
    /**
     * The source the pushed records belong to; use the id of the HIS/LIS pull source so pushed
     * and pulled records of a patient merge (same cache key, same resource ids).
     */
    sourceId: SourceIdSchema,
    /** Shown as the provenance's source name; default: the source id. */
    sourceName: z.string().min(1).max(100).optional(),
    /**
     * Assigning authority (PID-3.4.1) of the sender's own patient id, which keys the cache.
     * Default, as for the pull adapter: the identifier typed MR, else the first.
     */
    patientIdAuthority: Hl7NameSchema.min(1).optional(),
    /** Assigning-authority namespace → FHIR Identifier.system; keep equal to the pull source's. */
    identifierSystems: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** Used when MSH-18 is empty (non-UTF-8 bytes under "utf-8" are still read as GB18030). */
    fallbackCharset: Hl7v2CharsetSchema.default('utf-8'),
    /** Senders (MSH-3/MSH-4) allowed to push; omitted: any sender that can reach the port. */
    allowedSenders: z.array(InboundHl7SenderSchema).min(1).optional(),
    /** Largest MLLP frame read at all; a bigger one closes the connection (its bytes are not kept). */
    maxFrameBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(8 * 1024 * 1024),
    /**
     * Budgets of one message's conversion, which runs in a worker thread. A message over its size
     * (at most maxFrameBytes), CPU time or memory budget is not converted: it is kept in the
     * encrypted cache for inspection and answered AE/CE naming the limit.
     */
    maxMessageBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    maxConversionCpuMs: z.number().int().min(10).max(600_000).default(5000),
    maxConversionMemoryMb: z.number().int().min(64).max(8192).default(1024),
    /** Connections open at once. */
    maxConnections: z.number().int().min(1).max(1024).default(16),
    /** Connections open at once from one address, so one peer cannot take every slot. */
    maxConnectionsPerPeer: z.number().int().min(1).max(1024).default(4),
    /** A connection that sends nothing for this long is closed (senders reconnect to push). */
    idleTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(24 * 3600_000)
      .default(300_000),
    /** A message must arrive whole within this long of its first byte (slowloris), else the connection is closed. */
    frameTimeoutMs: z.number().int().min(100).max(3600_000).default(30_000),
    /** Control ids (MSH-10) remembered per sender to recognise retransmissions. */
    dedupeWindow: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict()
  .refine((c) => c.maxMessageBytes <= c.maxFrameBytes, {
    message: 'maxMessageBytes must not exceed maxFrameBytes',
    path: ['maxMessageBytes'],
  })
  .refine((c) => c.maxConnectionsPerPeer <= c.maxConnections, {
    message: 'maxConnectionsPerPeer must not exceed maxConnections',
    path: ['maxConnectionsPerPeer'],
  });
export type InboundHl7Config = z.infer<typeof InboundHl7ConfigSchema>;
