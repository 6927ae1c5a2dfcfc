/**
 * What the page and the frame-fetch worker say to each other (frame-fetch-worker.ts): a frame URL
 * with its Accept header one way; the body's buffer (transferred, never copied) with its content
 * type, or the status that made the worker give the frame back to the page's own loader, the other.
 * A batch (frames of one cached series in one x-huizhen-frames request) is answered with one
 * buffer per frame, each matched to the frame URL it answers.
 */
import { z } from 'zod';

export const FrameFetchRequestSchema = z.union([
  z.object({ id: z.number().int(), url: z.string(), accept: z.string() }).strict(),
  z.object({ id: z.number().int(), batchUrl: z.string(), frames: z.array(z.string()).min(1), accept: z.string() }).strict(),
]);
export type FrameFetchRequest = z.infer<typeof FrameFetchRequestSchema>;

const BatchFrameSchema = z.object({ url: z.string(), contentType: z.string(), body: z.instanceof(ArrayBuffer) });
export type BatchFrame = z.infer<typeof BatchFrameSchema>;

export const FrameFetchAnswerSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), contentType: z.string(), body: z.instanceof(ArrayBuffer) }),
  z.object({ id: z.number().int(), ok: z.literal(true), frames: z.array(BatchFrameSchema) }),
  z.object({ id: z.number().int(), ok: z.literal(false), status: z.number().int() }),
]);
export type FrameFetchAnswer = z.infer<typeof FrameFetchAnswerSchema>;

/** Only a single-part frame is taken off the page; anything else (multipart, errors) the loader fetches and words itself. */
export function isSinglePartFrame(status: number, contentType: string): boolean {
  return status === 200 && contentType.toLowerCase().startsWith('application/octet-stream');
}
