/** Exit codes hospital IT can script against. */
export const EXIT = {
  ok: 0,
  sourcesFailed: 1,
  usage: 2,
  noSinglePatient: 3,
  /** A message or document that could not be converted. */
  badInput: 4,
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
