/**
 * A problem with one part of an HL7 v3 answer that was dealt with rather than failing the whole:
 * a record skipped, a value left out. Typed, so the source status can count them; the message is
 * for logs.
 */
export interface ParseWarning {
  code: 'record-skipped' | 'value-left-out';
  /** XPath-like location in the message. */
  at: string;
  message: string;
}

export function parseWarning(code: ParseWarning['code'], at: string, message: string): ParseWarning {
  return { code, at, message };
}
