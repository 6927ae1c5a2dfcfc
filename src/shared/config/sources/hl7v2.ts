import { z } from 'zod';
import { HostSchema, PortSchema, SourceCommonFields } from './common.ts';

/**
 * What an MLLP peer answers: a HIS offers PDQ and PIX, a LIS offers results queries. "census":
 * the HIS answers IHE ITI-22 (Patient Demographics and Visit Query, QBP^ZV1 → RSP^ZV2) by ward
 * (QPD-3 `@PV1.3.1`) and attending (`@PV1.7.1`): the worklist then asks it for the ward's
 * current inpatients instead of only waiting for ADT pushes.
 */
export const Hl7v2ServiceSchema = z.enum(['pdq', 'pix', 'results', 'census']);
export type Hl7v2Service = z.infer<typeof Hl7v2ServiceSchema>;

/** Outgoing encoding (MSH-18 says which); answers are read by their own MSH-18. */
export const Hl7v2CharsetSchema = z.enum(['utf-8', 'gb18030', 'gbk', 'gb2312', 'iso-8859-1', 'ascii']);

/** An HL7 application/facility name as it goes into MSH-3..6 (HD namespace id). */
const Hl7NameSchema = z
  .string()
  .max(227)
  .regex(/^[^|^~\\&\r\n]*$/, 'must not contain HL7 delimiters (| ^ ~ \\ &) or line breaks');

export const Hl7v2SourceConfigSchema = z
  .object({
    ...SourceCommonFields,
    kind: z.literal('hl7v2'),
    host: HostSchema,
    port: PortSchema,
    charset: Hl7v2CharsetSchema.default('utf-8'),
    sendingApplication: Hl7NameSchema.min(1).default('HUIZHEN'),
    sendingFacility: Hl7NameSchema.default('HUIZHEN'),
    receivingApplication: Hl7NameSchema.min(1),
    receivingFacility: Hl7NameSchema.default(''),
    services: z
      .array(Hl7v2ServiceSchema)
      .min(1, 'name what the system answers: "pdq", "pix", "results" and/or "census"')
      .refine((list) => new Set(list).size === list.length, 'services must not repeat'),
    /** HL7 version written in MSH-12 of our queries. */
    version: z.enum(['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.8']).default('2.5'),
    /**
     * Assigning authority (PID-3.4.1) of this system's own patient id. Default: the identifier
     * typed MR, else the first.
     */
    patientIdAuthority: Hl7NameSchema.min(1).optional(),
    /** Assigning-authority namespace → FHIR Identifier.system, for authorities without an OID. */
    identifierSystems: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** Largest MLLP frame accepted from the peer. */
    maxFrameBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    /** Patients asked for per PDQ query (RCP-2). */
    searchLimit: z.number().int().min(1).max(500).default(50),
    /** Inpatients asked for per census query (RCP-2); an answer that says more exist is not taken as the whole ward. */
    censusLimit: z.number().int().min(1).max(2000).default(500),
  })
  .strict();
export type Hl7v2SourceConfig = z.infer<typeof Hl7v2SourceConfigSchema>;
