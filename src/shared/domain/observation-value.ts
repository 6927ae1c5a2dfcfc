import { z } from 'zod';

/**
 * An Observation's value as data, for every R4 `value[x]` the screens must show: the core reads
 * it out of the resource, the renderer words it (units, 收缩压/舒张压, 是/否). A plain
 * valueQuantity needs none of this: it travels as the entry's `lab` and `summary`.
 */
export const QuantityPartSchema = z.object({
  value: z.number().optional(),
  unit: z.string().optional(),
  comparator: z.string().optional(),
});
export type QuantityPart = z.infer<typeof QuantityPartSchema>;

export const SimpleValueSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('quantity'), quantity: QuantityPartSchema }),
  z.object({ type: z.literal('string'), value: z.string() }),
  /** The concept's text, else its first coding's display, else its code. */
  z.object({ type: z.literal('concept'), text: z.string(), code: z.string().optional(), system: z.string().optional() }),
  z.object({ type: z.literal('boolean'), value: z.boolean() }),
  z.object({ type: z.literal('integer'), value: z.number().int() }),
  /** hh:mm[:ss] as sent. */
  z.object({ type: z.literal('time'), value: z.string() }),
  /** A FHIR dateTime at its own precision. */
  z.object({ type: z.literal('dateTime'), value: z.string() }),
  z.object({ type: z.literal('period'), start: z.string().optional(), end: z.string().optional() }),
  z.object({ type: z.literal('ratio'), numerator: QuantityPartSchema.optional(), denominator: QuantityPartSchema.optional() }),
  z.object({ type: z.literal('range'), low: QuantityPartSchema.optional(), high: QuantityPartSchema.optional() }),
  /** A waveform, summarised: how many samples, how far apart, their extent (data itself stays in the resource). */
  z.object({
    type: z.literal('sampled'),
    samples: z.number().int().min(0),
    periodMs: z.number(),
    dimensions: z.number().int().min(1),
    unit: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
]);
export type SimpleValue = z.infer<typeof SimpleValueSchema>;

export const ObservationComponentSchema = z.object({
  /** The component's own code text (as the source wrote it). */
  label: z.string(),
  /** Its LOINC code, so the renderer can name well-known ones (8480-6 收缩压, 8462-4 舒张压). */
  loinc: z.string().optional(),
  value: SimpleValueSchema.optional(),
  abnormal: z.boolean().optional(),
});
export type ObservationComponent = z.infer<typeof ObservationComponentSchema>;

export const ObservationValueSchema = z.union([
  SimpleValueSchema,
  z.object({ type: z.literal('components'), components: z.array(ObservationComponentSchema).min(1), main: SimpleValueSchema.optional() }),
]);
export type ObservationValue = z.infer<typeof ObservationValueSchema>;
