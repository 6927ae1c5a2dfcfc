/**
 * The slice of dcmjs (which ships no type declarations) this folder uses, typed at the one
 * place it is loaded. dcmjs reads and writes DICOM Part 10 with every transfer syntax
 * Huizhen meets; its element objects are DICOM JSON-shaped ({vr, Value}).
 */
import { createRequire } from 'node:module';

export interface DcmjsElement {
  vr: string;
  Value?: unknown[];
  /** dcmjs's copy of the bytes as read, used to write unchanged values back losslessly. */
  _rawValue?: unknown;
}
export type DcmjsDataset = Record<string, DcmjsElement>;

export interface DcmjsDicomDict {
  meta: DcmjsDataset;
  dict: DcmjsDataset;
  write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
}

interface DcmjsModule {
  data: {
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DcmjsDicomDict };
  };
}

const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsModule;

/** Parses a Part 10 file; throws whatever dcmjs throws (callers wrap it into a typed error). */
export function readPart10(bytes: Uint8Array): DcmjsDicomDict {
  // dcmjs wants an ArrayBuffer of exactly the file, not a view into a larger pool.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return dcmjs.data.DicomMessage.readFile(copy.buffer, { ignoreErrors: false });
}
