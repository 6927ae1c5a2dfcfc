/**
 * What the page and the frame-fetch worker say to each other (frame-fetch-worker.ts): a frame URL
 * with its Accept header one way; the body's buffer (transferred, never copied) with its content
 * type, or the status that made the worker give the frame back to the page's own loader, the other.
 */
import { z } from 'zod';

export const FrameFetchRequestSchema = z.object({ id: z.number().int(), url: z.string(), accept: z.string() });
export type FrameFetchRequest = z.infer<typeof FrameFetchRequestSchema>;

export const FrameFetchAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), contentType: z.string(), body: z.instanceof(ArrayBuffer) }),
  z.object({ id: z.number().int(), ok: z.literal(false), status: z.number().int() }),
]);
export type FrameFetchAnswer = z.infer<typeof FrameFetchAnswerSchema>;

/** Only a single-part frame is taken off the page; anything else (multipart, errors) the loader fetches and words itself. */
export function isSinglePartFrame(status: number, contentType: string): boolean {
  return status === 200 && contentType.toLowerCase().startsWith('application/octet-stream');
}
