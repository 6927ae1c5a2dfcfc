import { z } from 'zod';
import { HttpUrlSchema, SourceCommonFields } from './common.ts';

export const FhirAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }).strict(),
  z.object({ type: z.literal('bearer'), token: z.string().min(1) }).strict(),
]);
export type FhirAuth = z.infer<typeof FhirAuthSchema>;

export const FhirSourceConfigSchema = z
  .object({
    ...SourceCommonFields,
    kind: z.literal('fhir'),
    baseUrl: HttpUrlSchema,
    auth: FhirAuthSchema.default({ type: 'none' }),
  })
  .strict();
export type FhirSourceConfig = z.infer<typeof FhirSourceConfigSchema>;
