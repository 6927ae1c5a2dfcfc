/**
 * A stored audit event as a FHIR R4 AuditEvent shaped after IHE BALP: type/subtype from DICOM
 * (DCM) and HL7 restful-interaction as BALP uses them, the user and the workstation as agents,
 * the workstation as observer, one entity per patient record and one for the object, and
 * purposeOfEvent BTG when the glass was broken. Our own action code rides along as a subtype so
 * nothing is lost where the standard codes are coarser.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import type { AuditAction, AuditOutcome, AuditRecord } from './audit-event.ts';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ROLE_CLASS = 'http://terminology.hl7.org/CodeSystem/v3-RoleClass';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const BREAK_THE_GLASS = { system: ACT_REASON, code: 'BTG', display: 'break the glass' };
export const HUIZHEN_AUDIT_ACTION_SYSTEM = 'https://huizhen.dev/fhir/CodeSystem/audit-action';
export const HUIZHEN_ROLE_SYSTEM = 'https://huizhen.dev/fhir/CodeSystem/role';
export const HUIZHEN_USER_SYSTEM = 'https://huizhen.dev/fhir/NamingSystem/user';
/** A source's patient ids, as an identifier system: `<this>/<sourceId>`. */
export const HUIZHEN_SOURCE_PATIENT_SYSTEM = 'https://huizhen.dev/fhir/NamingSystem/source-patient';

interface ActionCodes {
  type: Coding;
  subtype?: Coding;
  action: NonNullable<AuditEvent['action']>;
  /** How the user took part (BALP's user agent types). */
  userType: Coding;
}

const USER_AUTHENTICATION: Coding = { system: DCM, code: '110114', display: 'User Authentication' };
const REST: Coding = { system: EVENT_TYPE, code: 'rest', display: 'RESTful Operation' };
const SECURITY_ALERT: Coding = { system: DCM, code: '110113', display: 'Security Alert' };
const PATIENT_RECORD: Coding = { system: DCM, code: '110110', display: 'Patient Record' };
const RECIPIENT: Coding = { system: PARTICIPATION, code: 'IRCP', display: 'information recipient' };
const AGENT: Coding = { system: ROLE_CLASS, code: 'AGNT', display: 'agent' };
const INFORMANT: Coding = { system: PARTICIPATION, code: 'INF', display: 'informant' };

const CODES: Record<AuditAction, ActionCodes> = {
  login: { type: USER_AUTHENTICATION, subtype: { system: DCM, code: '110122', display: 'Login' }, action: 'E', userType: AGENT },
  'login-failed': { type: USER_AUTHENTICATION, subtype: { system: DCM, code: '110122', display: 'Login' }, action: 'E', userType: AGENT },
  logout: { type: USER_AUTHENTICATION, subtype: { system: DCM, code: '110123', display: 'Logout' }, action: 'E', userType: AGENT },
  'session-locked': { type: USER_AUTHENTICATION, action: 'E', userType: AGENT },
  'patient-search': {
    type: REST,
    subtype: { system: RESTFUL, code: 'search-type', display: 'search type' },
    action: 'E',
    userType: RECIPIENT,
  },
  'patient-open': { type: REST, subtype: { system: RESTFUL, code: 'read', display: 'read' }, action: 'R', userType: RECIPIENT },
  'document-view': { type: REST, subtype: { system: RESTFUL, code: 'read', display: 'read' }, action: 'R', userType: RECIPIENT },
  'image-view': { type: { system: DCM, code: '110103', display: 'DICOM Instances Accessed' }, action: 'R', userType: RECIPIENT },
  export: { type: { system: DCM, code: '110106', display: 'Export' }, action: 'R', userType: INFORMANT },
  'identity-link': { type: PATIENT_RECORD, subtype: { system: RESTFUL, code: 'update', display: 'update' }, action: 'U', userType: AGENT },
  'identity-unlink': {
    type: PATIENT_RECORD,
    subtype: { system: RESTFUL, code: 'update', display: 'update' },
    action: 'U',
    userType: AGENT,
  },
  'break-glass': {
    type: SECURITY_ALERT,
    subtype: { system: DCM, code: '110127', display: 'Emergency Override Started' },
    action: 'E',
    userType: AGENT,
  },
  'access-denied': {
    type: SECURITY_ALERT,
    subtype: { system: DCM, code: '110132', display: 'Use of Restricted Function' },
    action: 'E',
    userType: AGENT,
  },
  'config-change': {
    type: SECURITY_ALERT,
    subtype: { system: DCM, code: '110131', display: 'Software Configuration' },
    action: 'U',
    userType: AGENT,
  },
  // DICOM's "Network Entry" is for a node joining; asking each configured system whether it answers is closest to it.
  'sources-check': { type: { system: DCM, code: '110108', display: 'Network Entry' }, action: 'E', userType: AGENT },
  // The acknowledgement is a statement added to the patient's record by the clinician.
  'critical-value-acknowledge': {
    type: PATIENT_RECORD,
    subtype: { system: RESTFUL, code: 'update', display: 'update' },
    action: 'U',
    userType: AGENT,
  },
  // Reading the workstation's own health and settings: an application activity, no patient record involved.
  'admin-view': { type: { system: DCM, code: '110100', display: 'Application Activity' }, action: 'R', userType: AGENT },
};

/** R4 outcome codes: 0 success, 4 minor failure (refused), 8 serious failure. */
const OUTCOME: Record<AuditOutcome, NonNullable<AuditEvent['outcome']>> = { success: '0', denied: '4', failure: '8' };

/**
 * The same event always gets the same id, so a repeated PUT updates instead of duplicating. The
 * log id keeps a new log's seq 1 from overwriting an old log's seq 1.
 */
export function auditEventId(workstationId: string, logId: string, seq: number): string {
  const digest = createHash('sha256').update(`${workstationId}\u0000${logId}\u0000${seq}`).digest('hex').slice(0, 40);
  return `hz-${digest}`;
}

function userAgent(record: AuditRecord, codes: ActionCodes): AuditEventAgent {
  const { user, attemptedUser } = record.event;
  if (!user) {
    return {
      type: { coding: [codes.userType] },
      who: { identifier: { system: HUIZHEN_USER_SYSTEM, value: attemptedUser }, display: attemptedUser },
      requestor: true,
    };
  }
  return {
    type: { coding: [codes.userType] },
    who: { identifier: { system: HUIZHEN_USER_SYSTEM, value: user.id }, display: user.displayName },
    name: user.displayName,
    role: user.roles.map((role) => ({ coding: [{ system: HUIZHEN_ROLE_SYSTEM, code: role }] })),
    requestor: true,
    ...(record.event.reason ? { purposeOfUse: [{ coding: [BREAK_THE_GLASS], text: record.event.reason }] } : {}),
  };
}

function workstationAgent(workstation: string): AuditEventAgent {
  return {
    type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
    who: { display: workstation },
    requestor: false,
    network: { address: workstation, type: '1' },
  };
}

function patientEntities(record: AuditRecord): AuditEventEntity[] {
  return (record.event.patient?.refs ?? []).map((ref) => ({
    what: { identifier: { system: `${HUIZHEN_SOURCE_PATIENT_SYSTEM}/${ref.sourceId}`, value: ref.sourcePatientId } },
    type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
  }));
}

function objectEntity(record: AuditRecord): AuditEventEntity[] {
  const entity = record.event.entity;
  if (!entity) return [];
  const isQuery = record.event.action === 'patient-search' || entity.type === 'query';
  return [
    {
      ...(entity.id ? { what: { identifier: { value: entity.id }, display: entity.type } } : {}),
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: isQuery
        ? { system: OBJECT_ROLE, code: '24', display: 'Query' }
        : { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      name: entity.type,
      ...(isQuery && entity.detail ? { query: Buffer.from(entity.detail, 'utf8').toString('base64') } : {}),
      ...(!isQuery && entity.detail ? { detail: [{ type: 'detail', valueString: entity.detail }] } : {}),
    },
  ];
}

export function toFhirAuditEvent(record: AuditRecord, context: { workstationId: string; logId: string; site?: string }): AuditEvent {
  const codes = CODES[record.event.action];
  const event = record.event;
  return {
    resourceType: 'AuditEvent',
    id: auditEventId(context.workstationId, context.logId, record.seq),
    type: codes.type,
    subtype: [...(codes.subtype ? [codes.subtype] : []), { system: HUIZHEN_AUDIT_ACTION_SYSTEM, code: event.action }],
    action: codes.action,
    recorded: event.at,
    outcome: OUTCOME[event.outcome],
    // The schema requires a reason for break-glass, so a reason is exactly when the glass was broken.
    ...(event.reason ? { purposeOfEvent: [{ coding: [BREAK_THE_GLASS], text: event.reason }] } : {}),
    agent: [userAgent(record, codes), workstationAgent(event.workstation)],
    source: {
      ...(context.site ? { site: context.site } : {}),
      observer: { display: context.workstationId },
      type: [{ system: SOURCE_TYPE, code: '1', display: 'End-user display device, diagnostic display' }],
    },
    entity: [...patientEntities(record), ...objectEntity(record)],
  };
}
