/**
 * The few FHIR shapes the imaging links read, typed loosely (every field unknown until checked):
 * they run over whatever resources a source sent, valid or not. With the readers both links use.
 */
export interface Coded {
  text?: unknown;
  coding?: { code?: unknown; display?: unknown; system?: unknown }[];
}
export interface IdentifierLike {
  system?: unknown;
  value?: unknown;
  type?: Coded;
}
export interface ReferenceLike {
  reference?: unknown;
  display?: unknown;
  identifier?: IdentifierLike;
}

/** A non-blank string, trimmed; anything else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** A DICOM UID as written in an identifier, without its urn:oid: prefix. */
export const uidOf = (v: unknown): string | undefined => str(v)?.replace(/^urn:oid:/, '');
export const isAccession = (id: IdentifierLike): boolean => id.type?.coding?.some((c) => c.code === 'ACSN') === true;
export const isDicomUid = (id: IdentifierLike): boolean => id.system === 'urn:dicom:uid';
/** A concept's words: its text, else the first coding's display, else its code. */
export const codedText = (c: Coded | undefined): string | undefined =>
  str(c?.text) ?? c?.coding?.map((x) => str(x.display) ?? str(x.code)).find((x): x is string => x !== undefined);
