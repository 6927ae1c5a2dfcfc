import { readFile } from 'node:fs/promises';
import { convertCdaToBundle, isCdaError } from '../../adapters/cda/index.ts';
import { convertHl7v2ToBundle, isHl7ParseError } from '../../adapters/hl7v2/index.ts';
import { convertHl7v3ToBundle, isHl7v3MessageError } from '../../adapters/hl7v3/index.ts';
import { isSourceError } from '../../adapters/source-error.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { hl7v2ErrorAnswer } from './hl7v2-error-answer.ts';

export const CONVERTERS = {
  hl7v2: (bytes: Uint8Array) => convertHl7v2ToBundle(bytes),
  hl7v3: (bytes: Uint8Array) => convertHl7v3ToBundle(bytes),
  cda: (bytes: Uint8Array) => convertCdaToBundle(bytes),
} as const;
export type ConverterKind = keyof typeof CONVERTERS;

export function isConverterKind(kind: string): kind is ConverterKind {
  return Object.hasOwn(CONVERTERS, kind);
}

/**
 * `huizhen convert <hl7v2|hl7v3|cda> FILE`: the FHIR R4 Bundle the adapters would make of a
 * message or document, so hospital IT can check a vendor's mappings before go-live.
 */
export async function convert(kind: ConverterKind, file: string, io: CliIo): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})`}`);
  }
  try {
    const v2Error = kind === 'hl7v2' ? hl7v2ErrorAnswer(bytes) : undefined;
    if (v2Error) throw new CliError(`${file}: cannot convert as ${kind}: the system answered with an error: ${v2Error}`, EXIT.errorAnswer);
    io.out(JSON.stringify(CONVERTERS[kind](bytes), null, 2));
    return EXIT.ok;
  } catch (error) {
    // An error answer converts to nothing, and a script must never read it as success.
    if (isHl7v3MessageError(error)) {
      throw new CliError(
        `${file}: cannot convert as ${kind}: ${error.message}`,
        error.code === 'error-answer' ? EXIT.errorAnswer : EXIT.badInput,
      );
    }
    // The converters' own typed errors name the segment/field or XML path; anything else is ours.
    if (isHl7ParseError(error) || isCdaError(error) || isSourceError(error)) {
      throw new CliError(`${file}: cannot convert as ${kind}: ${error.message}`, EXIT.badInput);
    }
    throw error;
  }
}
