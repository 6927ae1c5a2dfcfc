/**
 * Why the workstation's DICOMweb endpoint refused or failed a request, as a code in the
 * `x-huizhen-error` response header (the body carries an English line for logs and curl).
 * The viewer words the code in the user's language; a code it does not know falls back to
 * the HTTP status.
 */
export const DICOMWEB_ERROR_HEADER = 'x-huizhen-error';
/** The PACS's own HTTP status, when the failure was an HTTP answer from it. */
export const DICOMWEB_PACS_STATUS_HEADER = 'x-huizhen-pacs-status';

export const DICOMWEB_ERROR_CODES = [
  /** The PACS does not have this study, series, instance or frame. */
  'pacs-not-found',
  /** The PACS cannot send the resource in any media type the viewer accepts. */
  'pacs-media-type',
  'pacs-too-large',
  'pacs-unreachable',
  'pacs-timeout',
  /** The PACS refused the workstation's credentials (401/403). */
  'pacs-credentials',
  /** Any other HTTP failure of the PACS (5xx…); its status is in x-huizhen-pacs-status. */
  'pacs-failed',
  'pacs-broke-off',
  /** The PACS answered something that is not valid DICOMweb (multipart or DICOM JSON). */
  'pacs-malformed',
  /** The request names nothing the endpoint serves. */
  'bad-request',
  'unknown-source',
  'not-acceptable',
  'read-only',
  /** A whole instance for a session that masks identity, which could not be masked safely (deflated, unparsable…). */
  'instance-unmaskable',
  /** A frame batch (x-huizhen-frames) names a frame the encrypted cache does not hold: the viewer asks for each frame instead. */
  'not-cached',
  /**
   * A frame, instance or bulk data request names an instance the study's series does not hold, as
   * the PACS's metadata of that series lists it: refused before anything is fetched (a PACS that finds
   * instances by their own UID would otherwise serve another study's under this one).
   */
  'not-in-series',
] as const;

export type DicomwebErrorCode = (typeof DICOMWEB_ERROR_CODES)[number];

export function isDicomwebErrorCode(value: string | null | undefined): value is DicomwebErrorCode {
  return typeof value === 'string' && (DICOMWEB_ERROR_CODES as readonly string[]).includes(value);
}
