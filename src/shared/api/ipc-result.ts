import { z } from 'zod';
import { ApiErrorSchema } from './client.ts';

/**
 * What an API call over IPC resolves to. Main never lets a handler throw across IPC: Electron
 * would serialise the raw Error (message, and in some versions stack) to the renderer. Instead
 * every outcome is one of these, and the preload turns a failure back into a thrown Error.
 */
export const IpcResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: ApiErrorSchema,
  }),
]);
export type IpcResult = z.infer<typeof IpcResultSchema>;
