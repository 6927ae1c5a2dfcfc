import { z } from 'zod';

/** The protocols Huizhen speaks; one adapter folder each under src/adapters. */
export const SourceKindSchema = z.enum(['fhir', 'hl7v2', 'hl7v3', 'cda', 'dicomweb']);
export type SourceKind = z.infer<typeof SourceKindSchema>;

/** What the UI shows about a hospital system while and after it is queried. */
export const SourceStateSchema = z.enum(['idle', 'loading', 'ok', 'slow', 'failed', 'circuit-open', 'cached']);
export type SourceState = z.infer<typeof SourceStateSchema>;

export const SourceErrorCodeSchema = z.enum([
  'timeout',
  'unreachable',
  'aborted',
  'unauthorized',
  'forbidden',
  'not-found',
  'gone',
  'rate-limited',
  'server-error',
  'bad-request',
  'protocol',
  'circuit-open',
]);
export type SourceErrorCode = z.infer<typeof SourceErrorCodeSchema>;

/**
 * Why a system failed, for the renderer to word from its code and parameters; `message` is the
 * English text for the log and the CLI, never shown as it is. None of it is what the source said
 * (it may echo a patient's id or name back): adapters build it from the code and parameters alone.
 */
export const SourceErrorInfoSchema = z.object({
  code: SourceErrorCodeSchema,
  message: z.string(),
  /** With 'timeout': how long the workstation waited. */
  timeoutMs: z.number().nonnegative().optional(),
  /** When the system answered over HTTP: its status. */
  status: z.number().int().optional(),
  /** The request as a template, ids replaced ("GET Patient/{id}/$everything"); never a query string. */
  endpoint: z.string().max(200).optional(),
  /** The underlying failure's class when it is a name: a socket errno ("ECONNREFUSED") or an Error subclass. */
  errorClass: z.string().max(60).optional(),
});
export type SourceErrorInfo = z.infer<typeof SourceErrorInfoSchema>;

/**
 * Why an answer the system accepted is still not the whole of it: the platform said so itself
 * (an HL7 v3 acknowledgement AA carrying a warning detail), or the adapter had to leave a record
 * or a value of it out. The status shows "answered, with warnings" so a partial answer never
 * reads as complete.
 */
export const AnswerWarningCodeSchema = z.enum(['platform-warning', 'record-skipped', 'value-left-out']);
export type AnswerWarningCode = z.infer<typeof AnswerWarningCodeSchema>;

export const AnswerWarningSchema = z.object({
  code: AnswerWarningCodeSchema,
  /** How many times, over the call (a search asks once per reading of the query). */
  count: z.number().int().positive(),
  /**
   * The platform's own code for it (acknowledgementDetail/code), letters, digits and ._- only. Its
   * text stays in the adapter, as an error's does: it may quote the query back (a name, an id), and
   * the status reaches the administrator, who sees no patient data.
   */
  detailCode: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,40}$/)
    .optional(),
});
export type AnswerWarning = z.infer<typeof AnswerWarningSchema>;

export const SourceStatusSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  kind: SourceKindSchema,
  state: SourceStateSchema,
  latencyMs: z.number().nonnegative().optional(),
  lastSuccessAt: z.string().optional(),
  entryCount: z.number().int().nonnegative().optional(),
  /** With 'ok' / 'slow': what of the answer was left out or warned about. */
  warnings: z.array(AnswerWarningSchema).max(20).optional(),
  error: SourceErrorInfoSchema.optional(),
  /** When state is 'cached': the time of the sync the shown records come from. */
  cachedAsOf: z.string().optional(),
  /** When state is 'loading': since when, so a hung system shows how long it has kept us waiting. */
  loadingSince: z.string().optional(),
});
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

/** One system's own handle on a patient: that system's id, never shared across systems. */
export const SourcePatientRefSchema = z.object({
  sourceId: z.string().min(1),
  sourcePatientId: z.string().min(1),
});
export type SourcePatientRef = z.infer<typeof SourcePatientRefSchema>;
