/** Exit codes hospital IT can script against. */
export const EXIT = {
  ok: 0,
  sourcesFailed: 1,
  usage: 2,
  noSinglePatient: 3,
  /** A message or document that could not be converted. */
  badInput: 4,
  /** `audit verify`: the log was edited, cut or reordered. */
  auditTampered: 5,
  /** `audit verify`: the log could not be checked at all (wrong keys, no log). */
  auditCannotVerify: 6,
  /** The user could not sign in (wrong password, locked out, no such account). */
  signInFailed: 7,
  /** The user's role may not see this (or this patient, without breaking the glass). */
  accessDenied: 8,
  /** `credentials`: the vault cannot be read (wrong key, tampered). */
  vaultFailed: 9,
  /** `convert`: the message is a system's error answer (SOAP fault, HL7 v3 AE/AR or queryAck AE/QE, HL7 v2 MSA/QAK AE/AR). */
  errorAnswer: 10,
  /** A failure no typed error describes: a bug in Huizhen (EX_SOFTWARE), to be reported. */
  internal: 70,
} as const;

/** A failure the CLI reports as one clear message, without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
