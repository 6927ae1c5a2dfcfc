/**
 * The platform's patient id (root + extension) as a FHIR Patient.id and back. Most extensions
 * are already FHIR ids ("P0770000"); others (other roots, characters FHIR ids forbid) are carried
 * as "x-" + base64url("root^extension") so fetchRecord can always ask for the right patient.
 */
import type { V3Id } from '../xml/index.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function handleFor(id: V3Id, patientIdRoot: string): string | undefined {
  if (!id.extension) return undefined;
  if (id.root === patientIdRoot && FHIR_ID.test(id.extension) && !id.extension.startsWith('x-')) return id.extension;
  const encoded = `x-${Buffer.from(`${id.root}^${id.extension}`, 'utf8').toString('base64url')}`;
  return FHIR_ID.test(encoded) ? encoded : undefined;
}

export function idForHandle(handle: string, patientIdRoot: string): V3Id | undefined {
  if (handle.startsWith('x-')) {
    const decoded = Buffer.from(handle.slice(2), 'base64url').toString('utf8');
    const caret = decoded.indexOf('^');
    if (caret <= 0 || caret === decoded.length - 1) return undefined;
    return { root: decoded.slice(0, caret), extension: decoded.slice(caret + 1) };
  }
  return FHIR_ID.test(handle) ? { root: patientIdRoot, extension: handle } : undefined;
}
