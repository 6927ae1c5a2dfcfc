import { z } from 'zod';
import { CredentialRefSchema, SourceIdSchema } from './sources/common.ts';

/** An AMQP name (exchange, queue) or a ward code inside a routing key: no wildcards or dots in a ward. */
const AmqpNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, ".", "_", ":" and "-" only');
export const WardCodeSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'a ward code in a routing key: letters, digits, "_" and "-" only');

const AmqpUrlSchema = z
  .string()
  .url()
  .refine((u) => /^amqps?:$/.test(new URL(u).protocol), 'an amqp:// or amqps:// URL')
  // The configuration file holds no secret: the password lives in the credential vault.
  .refine((u) => new URL(u).password === '', 'put the password in the credential vault (passwordRef), not in the URL');

/**
 * The hospital's message broker (AMQP 0-9-1, e.g. RabbitMQ): ADT and result events published by
 * the integration platform to a topic exchange under `adt.<ward>` and `oru.<ward>`. Each
 * workstation declares a durable queue of its own bound to its wards' keys; what arrives is
 * stored in the encrypted cache exactly as the inbound MLLP listener stores a push.
 */
export const BrokerConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** amqp://user@host:5672/vhost (no password here). */
    url: AmqpUrlSchema,
    /** The broker password's name in the credential vault (`huizhen credentials set NAME`); recommended. */
    passwordRef: CredentialRefSchema.optional(),
    /** The password inline: the demo and tests only (RabbitMQ's loopback-only guest account). */
    password: z.string().min(1).max(1000).optional(),
    /** The topic exchange the platform publishes to. */
    exchange: AmqpNameSchema.default('hospital.events'),
    /** This workstation's own durable queue; default "huizhen.<host name>". */
    queue: AmqpNameSchema.optional(),
    /** Wards to subscribe to; omitted: the signed-in user's wards (none before anyone signs in). */
    wards: z.array(WardCodeSchema).max(200).optional(),
    /** Messages handed to this workstation before it acknowledged earlier ones. */
    prefetch: z.number().int().min(1).max(1000).default(16),
    /** Where poison messages go, with the reason in the `x-huizhen-reason` header. */
    deadLetterExchange: AmqpNameSchema.default('hospital.events.dead'),
    /** The queue bound to the dead-letter exchange; default "<queue>.dead". */
    deadLetterQueue: AmqpNameSchema.optional(),
    /** HL7 v2 messages are stored as this (hl7v2) source's records, as the MLLP listener's are. */
    hl7SourceId: SourceIdSchema,
    /** FHIR messages are stored as this (fhir) source's records; omitted: FHIR messages go to the dead-letter queue. */
    fhirSourceId: SourceIdSchema.optional(),
    /** Reconnection after the broker or the network went away: exponential backoff between these. */
    reconnectInitialMs: z.number().int().min(50).max(60_000).default(500),
    reconnectMaxMs: z.number().int().min(100).max(600_000).default(30_000),
    /** A broker that accepts the connection but never completes AMQP's handshake is given up after this (then retried). */
    connectTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    /** Stopping waits this long for the broker's goodbye (cancel, close) before cutting the socket. */
    closeTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
    /** FHIR message ids remembered to recognise redeliveries (HL7 v2 uses the control-id journal). */
    dedupeWindow: z.number().int().min(1).max(100_000).default(5000),
  })
  .strict()
  .refine((c) => !(c.password && c.passwordRef), { message: 'give at most one of password and passwordRef', path: ['password'] })
  .refine((c) => c.reconnectInitialMs <= c.reconnectMaxMs, {
    message: 'reconnectInitialMs must not exceed reconnectMaxMs',
    path: ['reconnectInitialMs'],
  });
export type BrokerConfig = z.infer<typeof BrokerConfigSchema>;
export type BrokerConfigInput = z.input<typeof BrokerConfigSchema>;
