/**
 * Attachments whose bytes are text (the CDA XML, its HTML rendering, plain text): decoded,
 * rewritten, re-encoded. Binary attachments (PDF, images) cannot be rewritten by text rules.
 */
import type { Attachment } from '@medplum/fhirtypes';

const TEXT_TYPES = /^(text\/|application\/(?:[\w.+-]*\+)?xml\b|application\/xhtml\+xml|application\/json|application\/fhir\+json)/i;

export function isTextAttachment(attachment: Attachment): boolean {
  return typeof attachment.contentType === 'string' && TEXT_TYPES.test(attachment.contentType.trim());
}

/** The attachment with its inline text data passed through `rewrite`; hash and size follow the new bytes. */
export function rewriteTextAttachment(attachment: Attachment, rewrite: (text: string) => string): Attachment {
  if (attachment.data === undefined || !isTextAttachment(attachment)) return { ...attachment };
  const text = Buffer.from(attachment.data, 'base64').toString('utf8');
  const bytes = Buffer.from(rewrite(text), 'utf8');
  const { hash: _hash, ...rest } = attachment;
  return { ...rest, data: bytes.toString('base64'), size: bytes.length };
}

export function looksLikeAttachment(value: Record<string, unknown>): boolean {
  return typeof value.contentType === 'string' && (typeof value.data === 'string' || typeof value.url === 'string');
}
