/** A PID segment for one system's view of a patient, shared by the demo HIS and LIS. */
import type { Hl7FieldInput, Hl7SegmentInput } from '../../adapters/hl7v2/encode-hl7.ts';
import { AUTHORITIES, toHl7Time, type PersonName, type SystemIdentity } from './demo-identities.ts';

export interface PidView {
  identifiers: { value: string; authority: readonly string[]; type: string }[];
  names: PersonName[];
  birthDate?: string;
  gender: 'male' | 'female';
  phone?: string;
  address?: SystemIdentity['address'];
}

export function pidSegment(setId: number, view: PidView): Hl7SegmentInput {
  const fields: Hl7FieldInput[] = [
    setId,
    undefined,
    { repeat: view.identifiers.map((i) => [i.value, undefined, undefined, [...i.authority], i.type]) },
    undefined,
    { repeat: view.names.map((n) => [n.family, n.given, undefined, undefined, undefined, undefined, 'L', n.representation]) },
    undefined,
    toHl7Time(view.birthDate),
    view.gender === 'female' ? 'F' : 'M',
    undefined,
    undefined,
    view.address
      ? [view.address.line, undefined, view.address.city, view.address.city, undefined, 'CHN', 'H', undefined, view.address.district]
      : undefined,
    undefined,
    view.phone
      ? [undefined, 'PRN', 'CP', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, view.phone]
      : undefined,
  ];
  return { name: 'PID', fields };
}

export const authorityOf = AUTHORITIES;
