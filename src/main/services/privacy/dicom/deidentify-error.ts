/** Why one instance of an export could not be de-identified; the export goes on without it. */
export type DeidentifyErrorCode = 'not-dicom' | 'truncated' | 'unreadable' | 'unwritable';

export class DicomDeidentifyError extends Error {
  override readonly name = 'DicomDeidentifyError';
  readonly code: DeidentifyErrorCode;
  /** The instance as the caller named it (file name), or "instance <n>". */
  readonly instance: string;

  constructor(code: DeidentifyErrorCode, instance: string, detail: string) {
    super(`${instance}: ${detail}`);
    this.code = code;
    this.instance = instance;
  }
}
