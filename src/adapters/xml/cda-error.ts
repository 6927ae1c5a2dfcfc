/**
 * The one error the CDA and HL7 v3 XML parsers throw. `path` is an XPath-ish location
 * ("/ClinicalDocument/recordTarget[1]/patientRole/id[2]/@root") so hospital IT can find the
 * offending element in a 5,000-line document; the message never quotes patient data.
 */
export type CdaErrorKind =
  /** Not well-formed XML, or not text at all. */
  | 'malformed-xml'
  /** A DOCTYPE / entity declaration: refused outright (XXE, entity expansion). */
  | 'forbidden-dtd'
  /** Well-formed but not the structure expected (wrong root, missing required element). */
  | 'structure'
  /** An element is present with a value that cannot be read (bad timestamp, bad number, bad base64). */
  | 'value'
  /** Over a documented limit of the XML layer (size, element nesting depth): refused unread. */
  | 'limit';

export class CdaError extends Error {
  readonly kind: CdaErrorKind;
  readonly path: string;

  constructor(kind: CdaErrorKind, path: string, message: string, options: { cause?: unknown } = {}) {
    super(`${path}: ${message}`, options);
    this.name = 'CdaError';
    this.kind = kind;
    this.path = path;
  }
}

export function isCdaError(error: unknown): error is CdaError {
  return error instanceof CdaError;
}
