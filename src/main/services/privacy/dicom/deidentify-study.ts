/**
 * A study's instances → de-identified Part 10 files, one at a time (a study may be thousands
 * of instances; nothing is held beyond the current one). One UID remapper spans the export, so
 * Study/Series/SOP Instance UIDs, FrameOfReferenceUID and every reference inside sequences
 * agree across instances. An instance that cannot be read is reported as a failure naming it,
 * and the export goes on. Burned-in annotations in the pixels are NOT removed (no Clean Pixel
 * Data option): a study with burned-in text needs review before it leaves the hospital.
 */
import { randomBytes } from 'node:crypto';
import { DicomDeidentifyError } from './deidentify-error.ts';
import { deidentifyInstance } from './deidentify-instance.ts';
import { createUidRemapper } from './uid-remapper.ts';

/** An input instance: its bytes, or its bytes with a name (file name) errors can cite. */
export type StudyInstanceInput = Uint8Array | { name: string; bytes: Uint8Array };

export interface DeidentifyStudyOptions {
  /** Per-export secret for UID remapping; default 32 random bytes (exports cannot be linked). */
  secret?: Uint8Array;
  /** Put into the emptied PatientName/PatientID so the receiver can tell studies apart. */
  pseudonym?: string;
}

export type DeidentifyOutcome =
  | { ok: true; instance: string; fileName: string; bytes: Uint8Array; sopInstanceUid: string }
  | { ok: false; instance: string; error: DicomDeidentifyError };

function nameAndBytes(input: StudyInstanceInput, index: number): { name: string; bytes: Uint8Array } {
  return input instanceof Uint8Array ? { name: `instance ${index + 1}`, bytes: input } : input;
}

export async function* deidentifyStudy(
  instances: AsyncIterable<StudyInstanceInput> | Iterable<StudyInstanceInput>,
  options: DeidentifyStudyOptions = {},
): AsyncIterable<DeidentifyOutcome> {
  const uids = createUidRemapper(options.secret ?? randomBytes(32));
  let index = 0;
  for await (const input of instances) {
    const { name, bytes } = nameAndBytes(input, index);
    index += 1;
    try {
      const done = deidentifyInstance(bytes, name, { uids, ...(options.pseudonym !== undefined ? { pseudonym: options.pseudonym } : {}) });
      yield { ok: true, instance: name, fileName: `${done.sopInstanceUid}.dcm`, bytes: done.bytes, sopInstanceUid: done.sopInstanceUid };
    } catch (error) {
      const typed =
        error instanceof DicomDeidentifyError
          ? error
          : new DicomDeidentifyError('unreadable', name, error instanceof Error ? error.message : String(error));
      yield { ok: false, instance: name, error: typed };
    }
  }
}
