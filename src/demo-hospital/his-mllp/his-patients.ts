/** The HIS's own register: its MRNs, names as registered (some in pinyin only), full demographics. */
import { AUTHORITIES, deriveIdentities, IDENTITY_NOISE, type SystemIdentity } from '../hl7v2-common/demo-identities.ts';
import type { PidView } from '../hl7v2-common/pid-segment.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';

export interface HisPatient {
  identity: SystemIdentity;
  view: PidView;
}

export function hisView(identity: SystemIdentity): PidView {
  const names = identity.index === IDENTITY_NOISE.hisPinyinOnly ? identity.names.filter((n) => n.representation !== 'I') : identity.names;
  return {
    identifiers: [
      { value: identity.hisMrn, authority: AUTHORITIES.his, type: 'MR' },
      ...(identity.residentId ? [{ value: identity.residentId, authority: AUTHORITIES.residentId, type: 'NNCHN' }] : []),
    ],
    names,
    birthDate: identity.birthDate,
    gender: identity.gender,
    ...(identity.phone ? { phone: identity.phone } : {}),
    ...(identity.address ? { address: identity.address } : {}),
  };
}

export function hisPatients(data: SyntheticHospital): HisPatient[] {
  return deriveIdentities(data).map((identity) => ({ identity, view: hisView(identity) }));
}

/** Every identifier the HIS (acting as PIX manager) knows for a person, across domains. */
export function crossReferences(identity: SystemIdentity): { value: string; authority: readonly string[]; type: string }[] {
  return [
    { value: identity.hisMrn, authority: AUTHORITIES.his, type: 'MR' },
    { value: identity.lisMrn, authority: AUTHORITIES.lis, type: 'MR' },
    ...(identity.cdrMrn ? [{ value: identity.cdrMrn, authority: AUTHORITIES.cdr, type: 'MR' }] : []),
    ...(identity.residentId ? [{ value: identity.residentId, authority: AUTHORITIES.residentId, type: 'NNCHN' }] : []),
  ];
}
