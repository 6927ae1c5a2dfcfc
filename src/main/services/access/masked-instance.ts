/**
 * A WADO-RS whole-instance answer (multipart/related of application/dicom parts) made fit for a
 * session that masks identity: each part's Part 10 bytes masked in place by the privacy module,
 * in this request's own copy of the answer — the proxy's cached answer stays as the PACS sent
 * it, and no masked copy is cached anywhere (the answer is no-store). Anything that cannot be
 * masked safely is refused as a whole: a masked session never gets unmasked bytes.
 */
import { DICOMWEB_ERROR_HEADER } from '../../../shared/api/dicomweb-errors.ts';
import { boundaryOf, splitMultipart } from '../dicomweb-proxy/index.ts';
import type { Masking, MaskLevel } from '../privacy/index.ts';

/** Says the bytes were masked, and at which level (tests and support read it). */
export const MASKED_HEADER = 'x-huizhen-masked';

export type MaskedInstance =
  | { ok: true; response: Response; blanked: number }
  /** The refusal to send, and the reason for the audit trail. */
  | { ok: false; response: Response; reason: string };

function unmaskable(reason: string): MaskedInstance {
  return {
    ok: false,
    reason,
    response: new Response(`this instance cannot be masked for your session, so it is not served: ${reason}\n`, {
      status: 422,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', [DICOMWEB_ERROR_HEADER]: 'instance-unmaskable' },
    }),
  };
}

function partType(headerLines: readonly string[]): string {
  const line = headerLines.find((l) => /^content-type:/i.test(l));
  return (line?.slice(line.indexOf(':') + 1) ?? '').trim().toLowerCase();
}

/** `answer` is the proxy's successful answer to a GET of a whole instance. */
export async function maskInstanceAnswer(answer: Response, level: Exclude<MaskLevel, 'none'>, masking: Masking): Promise<MaskedInstance> {
  const contentType = answer.headers.get('content-type') ?? '';
  const boundary = boundaryOf(contentType);
  if (!contentType.toLowerCase().startsWith('multipart/related') || !boundary) {
    await answer.body?.cancel();
    return unmaskable('the answer is not multipart/related');
  }
  // A fresh buffer of this request's own: the part bodies below are views into it.
  const bytes = new Uint8Array(await answer.arrayBuffer());
  const split = splitMultipart(bytes, boundary);
  if (!split.ok) return unmaskable(split.message);
  if (split.parts.length === 0) return unmaskable('the answer holds no instance');
  let blanked = 0;
  for (const [index, part] of split.parts.entries()) {
    const type = partType(part.headerLines);
    if (type !== '' && !type.startsWith('application/dicom')) return unmaskable(`part ${index + 1} is ${type}, not application/dicom`);
    const outcome = masking.dicomPart10InPlace(part.body, level);
    if (!outcome.ok) return unmaskable(`part ${index + 1}: ${outcome.code} (${outcome.message})`);
    blanked += outcome.blanked;
  }
  const headers = new Headers(answer.headers);
  // Same length, other bytes: the length stands, an entity tag would not.
  headers.delete('etag');
  headers.set('cache-control', 'no-store');
  headers.set(MASKED_HEADER, level);
  return { ok: true, blanked, response: new Response(bytes, { status: answer.status, headers }) };
}
