import type { Identifier } from '@medplum/fhirtypes';

/**
 * What an identifier says about a person. Strong kinds name one person across systems; an MRN
 * names a record inside one system and links two systems only through a cross-reference
 * (PIX) record that lists several of them.
 */
export type IdentifierKind = 'resident-id' | 'insurance' | 'mpi' | 'passport' | 'mrn' | 'other';

export interface IdentifierPolicy {
  /** Identifier.system values of the enterprise MPI(s) this site runs. */
  mpiSystems: readonly string[];
  /** Identifier.system values used for 身份证 numbers (OIDs differ between vendors). */
  residentIdSystems: readonly string[];
  /** Identifier.system values of insurance (医保) numbers. */
  insuranceSystems: readonly string[];
}

export const DEFAULT_IDENTIFIER_POLICY: IdentifierPolicy = {
  mpiSystems: [],
  residentIdSystems: ['urn:oid:2.16.156.10011.1.3'],
  insuranceSystems: [],
};

// HL7 v2 table 0203 codes.
const RESIDENT_ID_CODES = new Set(['NNCHN', 'CZ']);
const INSURANCE_CODES = new Set(['SB', 'SS', 'MC', 'HC', 'MB', 'SN']);
const MRN_CODES = new Set(['MR', 'PI', 'PT', 'PN', 'AN', 'VN']);
const RESIDENT_ID_SHAPE = /^(\d{15}|\d{17}[\dXx])$/;

function typeCodes(identifier: Identifier): string[] {
  return (identifier.type?.coding ?? []).map((c) => c.code ?? '').filter(Boolean);
}

function typeText(identifier: Identifier): string {
  return [identifier.type?.text, ...(identifier.type?.coding ?? []).map((c) => c.display)].filter(Boolean).join(' ');
}

export function classifyIdentifier(identifier: Identifier, policy: IdentifierPolicy = DEFAULT_IDENTIFIER_POLICY): IdentifierKind {
  const codes = typeCodes(identifier);
  const text = typeText(identifier);
  const system = identifier.system ?? '';
  const value = identifier.value?.trim() ?? '';
  if (policy.mpiSystems.includes(system) || /\b(e?mpi|enterprise)\b/i.test(`${system} ${text}`)) return 'mpi';
  if (
    policy.residentIdSystems.includes(system) ||
    codes.some((c) => RESIDENT_ID_CODES.has(c)) ||
    /身份证/.test(text) ||
    (codes.includes('NI') && RESIDENT_ID_SHAPE.test(value))
  ) {
    return 'resident-id';
  }
  if (policy.insuranceSystems.includes(system) || codes.some((c) => INSURANCE_CODES.has(c)) || /医保|社保|insurance/i.test(text))
    return 'insurance';
  if (codes.includes('PPN') || /护照|passport/i.test(text)) return 'passport';
  if (codes.some((c) => MRN_CODES.has(c)) || /病案|病历|住院号|门诊号|\bmrn\b/i.test(text)) return 'mrn';
  return 'other';
}

/** The patient's 身份证 numbers, as the matcher classifies identifiers (type code, system or label). */
export function nationalIdValues(patient: { identifier?: Identifier[] }): string[] {
  return (patient.identifier ?? []).flatMap((i) => (i.value && classifyIdentifier(i) === 'resident-id' ? [i.value] : []));
}

/** A short human label for an identifier, e.g. "身份证", "MRN (HIS)". */
export function identifierLabel(identifier: Identifier): string | undefined {
  return identifier.type?.text ?? identifier.type?.coding?.find((c) => c.display)?.display ?? identifier.type?.coding?.[0]?.code;
}

/** Identifier values compare without case, spaces or dashes: systems differ in how they print them. */
export function compactIdentifierValue(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}
