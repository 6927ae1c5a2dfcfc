import { z } from 'zod';
import { SourceStatusSchema } from '../domain/source.ts';
import { TimelineEntrySchema } from '../domain/timeline.ts';

/** Pushed from main to the renderer while a patient is open: the fastest source paints first. */
export const ApiEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('timeline.updated'),
    openId: z.string(),
    entries: z.array(TimelineEntrySchema),
    sources: z.array(SourceStatusSchema),
    complete: z.boolean(),
  }),
  z.object({
    type: z.literal('source.status'),
    status: SourceStatusSchema,
  }),
]);
export type ApiEvent = z.infer<typeof ApiEventSchema>;
