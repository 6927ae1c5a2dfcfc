import type { AccessConfig } from '../../../shared/config/access.ts';
import type { Role, User } from '../../../shared/domain/user.ts';
import { isImagingReportDocument } from '../../../shared/domain/imaging-report-link.ts';

import type { Capability } from '../../../shared/api/session.ts';

export type { Capability };

/**
 * Default scopes per role, SMART style (`patient/Observation.rs` = read and search). Nurses do
 * not read physicians' notes or images; radiologists read imaging and the clinical context a
 * report needs (problems, labs, allergies for contrast) but not notes or prescriptions — of
 * documents, only imaging reports (a CDA 检查报告 is the prior's report a radiologist compares
 * against), and of orders only those behind a study of the record (why it was asked for; a
 * psychiatric consult or an HIV test order is not theirs to read): READS_WHEN_TIED_TO_A_STUDY;
 * administrators run the workstation and see no patient data at all. A result's own attachment
 * (an HL7 v2 ED PDF/image/HTML, a DocumentReference the Observation is derived from) goes with the
 * result, not with documents: the gate reads it as whoever may read the result (shared/domain/result-attachment.ts).
 */
export const DEFAULT_ROLE_SCOPES: Readonly<Record<Role, readonly string[]>> = {
  'ward-doctor': ['patient/*.rs'],
  radiologist: [
    'patient/Patient.rs',
    'patient/Encounter.rs',
    'patient/ImagingStudy.rs',
    'patient/DiagnosticReport.rs',
    'patient/Observation.rs',
    'patient/Condition.rs',
    'patient/AllergyIntolerance.rs',
    'patient/Procedure.rs',
  ],
  nurse: [
    'patient/Patient.rs',
    'patient/Encounter.rs',
    'patient/Observation.rs',
    'patient/DiagnosticReport.rs',
    'patient/AllergyIntolerance.rs',
    'patient/Condition.rs',
    'patient/MedicationRequest.rs',
    'patient/MedicationStatement.rs',
    'patient/MedicationAdministration.rs',
    'patient/Procedure.rs',
    'patient/Immunization.rs',
  ],
  administrator: [],
};

const CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  'ward-doctor': ['search', 'open', 'link', 'export', 'break-glass', 'sources'],
  radiologist: ['search', 'open', 'export', 'break-glass', 'sources'],
  nurse: ['search', 'open', 'break-glass', 'sources'],
  // The administrator runs the workstation: the sources' state, the probes that ask each system now, and the console.
  administrator: ['sources', 'check-sources', 'admin-console'],
};

/** How a resource is tied to an imaging study of the record: as the study's report, or as the order behind it. */
export type StudyTie = 'report' | 'order';

/** The resources that could be tied to a study that way (whether they are is decided over the record, by the gate). */
const TIE_CANDIDATES: Readonly<Record<StudyTie, (resource: { resourceType: string }) => boolean>> = {
  report: isImagingReportDocument,
  order: (resource) => resource.resourceType === 'ServiceRequest',
};

/**
 * What a role reads beyond its scopes only when it is tied to a study of the same record: the one
 * way each exception is said. A radiologist reads, of documents, a study's report (not a pathology
 * report naming an accession) and, of orders, the order behind a study (not a consult).
 */
const READS_WHEN_TIED_TO_A_STUDY: Readonly<Record<Role, readonly StudyTie[]>> = {
  'ward-doctor': [],
  radiologist: ['report', 'order'],
  nurse: [],
  administrator: [],
};

/** Roles that see the 身份证 masked even outside privacy mode (name and MRN stay whole: the two-identifier check, 查对). */
const MASKS_IDENTIFIERS: ReadonlySet<Role> = new Set(['nurse', 'radiologist']);

export interface RolePolicy {
  can(user: User, capability: Capability): boolean;
  /** Read access to a resource type under the user's scopes (any of their roles). */
  canRead(user: User, resourceType: string): boolean;
  /**
   * A resource whose type the user may not read, which their role reads when it is tied to an
   * imaging study of the same record: how it would be tied (the gate decides whether it is, over
   * the record), or undefined.
   */
  readsWhenTiedToStudy(user: User, resource: { resourceType: string }): StudyTie | undefined;
  masksIdentifiers(user: User): boolean;
  scopesOf(user: User): string[];
  capabilitiesOf(user: User): Capability[];
}

function readableTypes(scopes: readonly string[]): { all: boolean; types: Set<string> } {
  const types = new Set<string>();
  let all = false;
  for (const scope of scopes) {
    const match = /^patient\/([A-Za-z]+|\*)\.([cruds]+)$/.exec(scope);
    if (!match || !match[2]!.includes('r')) continue;
    if (match[1] === '*') all = true;
    else types.add(match[1]!);
  }
  return { all, types };
}

export function createRolePolicy(config: Pick<AccessConfig, 'roleScopes'> = {}): RolePolicy {
  const scopesOfRole = (role: Role) => config.roleScopes?.[role] ?? DEFAULT_ROLE_SCOPES[role];
  const readable = new Map<Role, ReturnType<typeof readableTypes>>();
  const readableOf = (role: Role) => {
    let r = readable.get(role);
    if (!r) readable.set(role, (r = readableTypes(scopesOfRole(role))));
    return r;
  };
  const canRead = (user: User, resourceType: string) =>
    user.roles.some((role) => {
      const r = readableOf(role);
      return r.all || r.types.has(resourceType);
    });
  return {
    can: (user, capability) => user.roles.some((role) => CAPABILITIES[role].includes(capability)),
    canRead,
    readsWhenTiedToStudy: (user, resource) =>
      user.roles.flatMap((role) => READS_WHEN_TIED_TO_A_STUDY[role]).find((tie) => TIE_CANDIDATES[tie](resource)),
    // A doctor who is also a nurse sees what the doctor sees: masking only when every role masks.
    masksIdentifiers: (user) => user.roles.every((role) => MASKS_IDENTIFIERS.has(role)),
    scopesOf: (user) => [...new Set(user.roles.flatMap((role) => scopesOfRole(role)))],
    capabilitiesOf: (user) => [...new Set(user.roles.flatMap((role) => CAPABILITIES[role]))],
  };
}
