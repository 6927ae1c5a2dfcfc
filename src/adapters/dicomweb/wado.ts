/**
 * WADO-RS retrievals as plain functions, for the viewer and the DICOMweb proxy: study and
 * series metadata (DICOM JSON), and frames in the encoding they are stored in.
 */
import { callDicomweb, type DicomwebEndpoint } from './dicomweb-transport.ts';
import { protocolError } from './dicomweb-errors.ts';
import type { DicomJsonDataset } from './dicom-json.ts';
import { parseDatasets } from './qido.ts';

const UID = /^[0-9]+(\.[0-9]+)*$/;

function checkUid(endpoint: DicomwebEndpoint, label: string, what: string, uid: string): void {
  if (!UID.test(uid) || uid.length > 64) {
    throw protocolError(
      { sourceId: endpoint.sourceId, sourceName: endpoint.sourceName, request: label },
      `"${uid.slice(0, 70)}" is not a DICOM ${what}`,
    );
  }
}

export interface SeriesRef {
  studyInstanceUid: string;
  seriesInstanceUid: string;
}

export interface FramesRef extends SeriesRef {
  sopInstanceUid: string;
  /** One-based frame numbers. */
  frameNumbers: number[];
}

export interface RetrievedFrame {
  data: Uint8Array;
  /** Media type of the part, e.g. application/octet-stream, image/jls, image/jp2. */
  contentType?: string;
  /** From the part's transfer-syntax parameter, when the server sends one. */
  transferSyntaxUid?: string;
}

export async function retrieveStudyMetadata(
  endpoint: DicomwebEndpoint,
  studyInstanceUid: string,
  signal: AbortSignal,
): Promise<DicomJsonDataset[]> {
  const label = `WADO-RS GET studies/${studyInstanceUid}/metadata`;
  checkUid(endpoint, label, 'Study Instance UID', studyInstanceUid);
  const body = await callDicomweb(endpoint, label, signal, (client, request) =>
    client.retrieveStudyMetadata({ studyInstanceUID: studyInstanceUid, request }),
  );
  return parseDatasets(endpoint, label, body);
}

export async function retrieveSeriesMetadata(endpoint: DicomwebEndpoint, ref: SeriesRef, signal: AbortSignal): Promise<DicomJsonDataset[]> {
  const label = `WADO-RS GET studies/${ref.studyInstanceUid}/series/${ref.seriesInstanceUid}/metadata`;
  checkUid(endpoint, label, 'Study Instance UID', ref.studyInstanceUid);
  checkUid(endpoint, label, 'Series Instance UID', ref.seriesInstanceUid);
  const body = await callDicomweb(endpoint, label, signal, (client, request) =>
    client.retrieveSeriesMetadata({ studyInstanceUID: ref.studyInstanceUid, seriesInstanceUID: ref.seriesInstanceUid, request }),
  );
  return parseDatasets(endpoint, label, body);
}

/**
 * Frames with `transfer-syntax=*`: the server sends each frame as stored (JPEG-LS, JPEG 2000,
 * RLE...) instead of transcoding to uncompressed, which is ~10× the bytes and, for codecs the
 * server cannot decode, fails.
 */
export async function retrieveInstanceFrames(endpoint: DicomwebEndpoint, ref: FramesRef, signal: AbortSignal): Promise<RetrievedFrame[]> {
  const label = `WADO-RS GET studies/${ref.studyInstanceUid}/series/${ref.seriesInstanceUid}/instances/${ref.sopInstanceUid}/frames`;
  checkUid(endpoint, label, 'Study Instance UID', ref.studyInstanceUid);
  checkUid(endpoint, label, 'Series Instance UID', ref.seriesInstanceUid);
  checkUid(endpoint, label, 'SOP Instance UID', ref.sopInstanceUid);
  const ctx = { sourceId: endpoint.sourceId, sourceName: endpoint.sourceName, request: label };
  if (ref.frameNumbers.length === 0 || ref.frameNumbers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw protocolError(ctx, 'frame numbers must be one or more integers from 1');
  }
  const parts = await callDicomweb(endpoint, label, signal, (client, request) =>
    client.retrieveInstanceFrames({
      studyInstanceUID: ref.studyInstanceUid,
      seriesInstanceUID: ref.seriesInstanceUid,
      sopInstanceUID: ref.sopInstanceUid,
      frameNumbers: ref.frameNumbers.join(','),
      mediaTypes: [{ mediaType: 'application/octet-stream', transferSyntaxUID: '*' }],
      request,
    }),
  );
  if (!Array.isArray(parts)) throw protocolError(ctx, 'answered without a multipart body');
  const frames = parts.map((part: unknown): RetrievedFrame | undefined => {
    const bytes = part instanceof Uint8Array ? part : part instanceof ArrayBuffer ? new Uint8Array(part) : undefined;
    if (!bytes) return undefined;
    const meta = part as { contentType?: unknown; transferSyntaxUID?: unknown };
    return {
      data: bytes,
      ...(typeof meta.contentType === 'string' ? { contentType: meta.contentType } : {}),
      ...(typeof meta.transferSyntaxUID === 'string' ? { transferSyntaxUid: meta.transferSyntaxUID } : {}),
    };
  });
  if (frames.some((f) => f === undefined)) throw protocolError(ctx, 'answered with a part that is not binary');
  if (frames.length !== ref.frameNumbers.length)
    throw protocolError(ctx, `asked for ${ref.frameNumbers.length} frame(s), got ${frames.length}`);
  return frames as RetrievedFrame[];
}
