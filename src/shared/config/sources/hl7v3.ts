import { z } from 'zod';
import { BasicAuthSchema, HttpUrlSchema, SourceCommonFields } from './common.ts';

/** An ISO object identifier such as 2.16.156.10011.0.99.1 (how HL7 v3 names systems and id namespaces). */
export const OidSchema = z.string().regex(/^[0-2](\.(0|[1-9]\d{0,15})){1,40}$/, 'must be an OID such as 2.16.156.10011.0.99.1');

export const Hl7v3AuthSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('none') }).strict(), BasicAuthSchema]);
export type Hl7v3Auth = z.infer<typeof Hl7v3AuthSchema>;

export const Hl7v3ServiceSchema = z.enum(['pdq', 'documents']);
export type Hl7v3Service = z.infer<typeof Hl7v3ServiceSchema>;

/** An integration platform (互联互通) speaking HL7 v3 over SOAP: PDQv3 and shared-document query/retrieve. */
export const Hl7v3SourceConfigSchema = z
  .object({
    ...SourceCommonFields,
    kind: z.literal('hl7v3'),
    /** The SOAP endpoint (one URL; services are told apart by SOAP action). */
    endpoint: HttpUrlSchema,
    soapVersion: z.enum(['1.1', '1.2']).default('1.2'),
    /** Our device id in the HL7 v3 transmission wrapper (sender/device/id/@root). */
    senderDeviceId: OidSchema,
    /** The platform's device id (receiver/device/id/@root). */
    receiverDeviceId: OidSchema,
    /** The assigning authority whose ids this platform answers with and is queried by (e.g. its EMPI). */
    patientIdRoot: OidSchema,
    /** The root the platform uses for 居民身份证 numbers (WS/T 500: 2.16.156.10011.1.3). */
    residentIdRoot: OidSchema.default('2.16.156.10011.1.3'),
    services: z.array(Hl7v3ServiceSchema).min(1).default(['pdq', 'documents']),
    auth: Hl7v3AuthSchema.default({ type: 'none' }),
  })
  .strict();
export type Hl7v3SourceConfig = z.infer<typeof Hl7v3SourceConfigSchema>;
export type Hl7v3SourceConfigInput = z.input<typeof Hl7v3SourceConfigSchema>;
