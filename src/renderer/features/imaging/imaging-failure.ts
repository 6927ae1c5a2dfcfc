/**
 * What went wrong loading an image, as data the panel words: the workstation endpoint's code
 * (x-huizhen-error) with the PACS's status, the HTTP status alone, no answer at all, or the
 * decoder's own message. Cornerstone's loader rejects with the XMLHttpRequest itself (not an
 * Error) when the request fails, so its headers still tell what the proxy said.
 */
import {
  DICOMWEB_ERROR_HEADER,
  DICOMWEB_PACS_STATUS_HEADER,
  isDicomwebErrorCode,
  type DicomwebErrorCode,
} from '../../../shared/api/dicomweb-errors.ts';

export type ImagingFailureCode =
  | DicomwebErrorCode
  | 'signed-out'
  | 'forbidden'
  | 'http'
  | 'no-answer'
  | 'decode'
  | 'decode-unsupported'
  | 'decode-corrupt'
  /** Decoded, but its values span more than the viewer can draw (value-range.ts). */
  | 'value-range'
  | 'no-image'
  | 'setup';

export interface ImagingFailure {
  code: ImagingFailureCode;
  /** The HTTP status of the workstation's answer. */
  status?: number;
  /** The PACS's own HTTP status, when the PACS answered with an error. */
  pacsStatus?: number;
  /** A technical detail (a decoder's message), shown as is after the worded reason. */
  detail?: string;
}

interface ResponseLike {
  status: number;
  header(name: string): string | null;
}

function asResponse(value: unknown): ResponseLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // An XMLHttpRequest (rejected by the loader), or an Error carrying one (its errorInterceptor shape).
  const candidate = 'getResponseHeader' in value ? value : 'request' in value ? (value as { request: unknown }).request : undefined;
  if (typeof candidate !== 'object' || candidate === null || !('getResponseHeader' in candidate) || !('status' in candidate))
    return undefined;
  const xhr = candidate as { status: unknown; getResponseHeader: (name: string) => string | null };
  if (typeof xhr.status !== 'number' || typeof xhr.getResponseHeader !== 'function') return undefined;
  return { status: xhr.status, header: (name) => xhr.getResponseHeader(name) };
}

/** From an HTTP answer of the workstation (fetch Response or XHR). */
export function failureOfAnswer(status: number, header: (name: string) => string | null): ImagingFailure {
  if (status === 0) return { code: 'no-answer' };
  const code = header(DICOMWEB_ERROR_HEADER);
  const pacs = Number(header(DICOMWEB_PACS_STATUS_HEADER) ?? '');
  const pacsStatus = Number.isInteger(pacs) && pacs > 0 ? { pacsStatus: pacs } : {};
  if (isDicomwebErrorCode(code)) return { code, status, ...pacsStatus };
  // Refusals of the access gate in front of the proxy (no code header of its own).
  if (status === 401) return { code: 'signed-out', status };
  if (status === 403) return { code: 'forbidden', status };
  return { code: 'http', status };
}

/**
 * The decoders' (Cornerstone's loader and codecs) messages by what they mean to the reader: an
 * encoding the viewer cannot decode, or data that does not fit its own description. The message
 * itself stays as the detail, for whoever reports the problem.
 */
const DECODE_KINDS: readonly [RegExp, ImagingFailureCode][] = [
  [
    /no decoder for transfer syntax|unsupported pixel format|no color space conversion|decoder loaded|is not supported/i,
    'decode-unsupported',
  ],
  [
    /frame exceeds size|bytes, expected|same length|must be divisible|could not inflate|invalid response|complete color palette/i,
    'decode-corrupt',
  ],
];

export function failureOf(error: unknown): ImagingFailure {
  if (isImagingFailure(error)) return error;
  if (error instanceof Error && 'failure' in error && isImagingFailure(error.failure)) return error.failure;
  const response = asResponse(error);
  if (response) return failureOfAnswer(response.status, response.header);
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  // Anything else came from decoding (the worker's codecs) or from Cornerstone itself.
  if (!message) return { code: 'decode' };
  const code = DECODE_KINDS.find(([pattern]) => pattern.test(message))?.[1] ?? 'decode';
  return { code, detail: message.slice(0, 200) };
}

export function isImagingFailure(value: unknown): value is ImagingFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    typeof (value as { code: unknown }).code === 'string' &&
    !(value instanceof Error)
  );
}
