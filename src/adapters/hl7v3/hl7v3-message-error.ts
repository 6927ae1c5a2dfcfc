/**
 * Why `huizhen convert hl7v3` will not make a Bundle of a well-formed message, as a code the CLI
 * maps to its exit status: the message is the platform's error answer (a SOAP fault, or an
 * acknowledgement / queryAck that says the request failed), a request rather than an answer, or
 * not a patient message at all. Structural problems stay CdaError, as for every HL7 v3 XML.
 */
import type { AnswerFailure } from './answer-status.ts';

export type Hl7v3MessageErrorCode = 'error-answer' | 'request-not-answer' | 'acknowledgement-only' | 'unsupported-message';

export class Hl7v3MessageError extends Error {
  readonly code: Hl7v3MessageErrorCode;
  readonly path: string;
  /** For error answers read from an acknowledgement: what it said, in the platform's words. */
  readonly failure: AnswerFailure | undefined;

  constructor(code: Hl7v3MessageErrorCode, path: string, message: string, failure?: AnswerFailure) {
    super(`${path}: ${message}`);
    this.name = 'Hl7v3MessageError';
    this.code = code;
    this.path = path;
    this.failure = failure;
  }
}

export function isHl7v3MessageError(error: unknown): error is Hl7v3MessageError {
  return error instanceof Hl7v3MessageError;
}
