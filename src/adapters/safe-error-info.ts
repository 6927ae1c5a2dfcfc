import type { SourceErrorCode, SourceErrorInfo } from '../shared/domain/source.ts';

/**
 * What of a source failure may leave the adapter's own log: the code and parameters that say what
 * went wrong, never what the source said. A source may echo the query back (a 身份证 in an
 * OperationOutcome's diagnostics, a name in an HL7 ERR segment, an MRN in an acknowledgement's
 * text), and request labels carry record ids (`GET Patient/pat-0001`), so nothing free-form is kept:
 * the endpoint is rebuilt from an allowlist of structure words, every other part becomes a placeholder.
 */

/** Verbs and protocol words of the adapters' request labels ("QIDO-RS GET studies/…", "PDQv3 PRPA_IN201305UV02"). */
const LABEL_WORDS = new Set([
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'HEAD',
  'QIDO-RS',
  'WADO-RS',
  'STOW-RS',
  'PDQv3',
  'CDA',
  'SOAP',
  'document',
  'query',
  'retrieve',
  'token',
]);
/** Path segments that name a place in a protocol, not a record (DICOMweb's resources, SMART's token endpoint, common base paths). */
const PATH_WORDS = new Set([
  'studies',
  'series',
  'instances',
  'frames',
  'metadata',
  'rendered',
  'thumbnail',
  'bulkdata',
  'token',
  'oauth',
  'oauth2',
  'auth',
  '.well-known',
  'smart-configuration',
  'fhir',
  'dicom-web',
  'dicomweb',
  'baseR4',
  'R4',
  'r4',
]);
/** An HL7 v2 message type with its trigger event and structure ("QBP^Q22^QBP_Q21"): three letters, then a letter or digit and two digits. */
const HL7V2_TYPE = /^[A-Z]{3}(\^[A-Z][A-Z0-9]\d(\^[A-Z]{3}_[A-Z][A-Z0-9]\d)?)?$/;
/** An HL7 v3 interaction id ("PRPA_IN201305UV02"). */
const HL7V3_INTERACTION = /^[A-Z]{4}_[A-Z]{2}\d{6}(UV\d{2})?$/;
/**
 * FHIR R4 resource types a clinical workstation reads, kept only where a type stands (first, or
 * after an id): a listed word, not any capitalised one, since a pinyin name ("ZhangSan") looks like a type.
 */
const RESOURCE_TYPES = new Set(
  (
    'Patient Observation Encounter Condition MedicationRequest MedicationStatement MedicationAdministration MedicationDispense ' +
    'Medication DiagnosticReport DocumentReference Binary Bundle Composition ImagingStudy AllergyIntolerance Procedure ' +
    'Immunization ServiceRequest Specimen Practitioner PractitionerRole RelatedPerson Person CareTeam Location Organization ' +
    'EpisodeOfCare Coverage Consent AuditEvent Provenance Group List Flag CarePlan Goal FamilyMemberHistory ClinicalImpression ' +
    'RiskAssessment NutritionOrder DeviceRequest Device Media QuestionnaireResponse Questionnaire Appointment Schedule Slot Task ' +
    'Communication ValueSet CodeSystem ConceptMap CapabilityStatement OperationOutcome Endpoint Parameters'
  ).split(' '),
);
/** FHIR's operations and reserved path words ("$everything", "_history", "_search"). */
const RESERVED = /^[$_][a-z][A-Za-z-]{0,40}$/;
/** A DICOM UID: the placeholder says which kind of id stood there. */
const UID = /^\d+(\.\d+)+$/;

function pathTemplate(path: string): string {
  const segments = path.split(/[?#]/, 1)[0]!.split('/');
  let typeAllowed = true;
  return segments
    .map((segment, i) => {
      if (segment === '' && (i === 0 || i === segments.length - 1)) return '';
      // A template read again (a second line of defence) stays as it was.
      if (segment === '{id}' || segment === '{uid}') {
        typeAllowed = true;
        return segment;
      }
      if (PATH_WORDS.has(segment) || RESERVED.test(segment)) {
        typeAllowed = false;
        return segment;
      }
      if (typeAllowed && RESOURCE_TYPES.has(segment)) {
        typeAllowed = false;
        return segment;
      }
      typeAllowed = true;
      return UID.test(segment) ? '{uid}' : '{id}';
    })
    .join('/');
}

/**
 * A request label as a template: `GET Patient/pat-0001/$everything?_since=…` → `GET Patient/{id}/$everything`.
 * Words outside the allowlist become `{id}`; undefined when there was no request to name.
 */
export function endpointTemplate(request: string | undefined): string | undefined {
  if (request === undefined || request.trim() === '') return undefined;
  const words = request.trim().split(/\s+/).slice(0, 8);
  const template = words
    .map((word) => {
      if (LABEL_WORDS.has(word) || HL7V2_TYPE.test(word) || HL7V3_INTERACTION.test(word)) return word;
      return pathTemplate(word);
    })
    .join(' ');
  return template.slice(0, 200);
}

/** The class of the underlying failure when it is a name, not a sentence: a socket errno ("ECONNREFUSED") or an Error subclass. */
export function errorClassOf(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  // Adapters keep a socket failure's cause as "TypeError (ECONNREFUSED)" or as the bare errno.
  const errno = /(?:^|\()(E[A-Z]{2,20}|UND_ERR_[A-Z_]{2,30})(?:$|\)$)/.exec(cause.message)?.[1];
  if (errno) return errno;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && /^(E[A-Z]{2,20}|UND_ERR_[A-Z_]{2,30})$/.test(code)) return code;
  return /^[A-Z][A-Za-z]{0,40}Error$/.test(cause.name) && cause.name !== 'Error' ? cause.name : undefined;
}

function classOnly(name: string): Error {
  const error = new Error(name);
  error.name = name;
  return error;
}

/**
 * An info that left an adapter, rebuilt from its parameters alone: whoever made it, what reaches
 * the console has no free text in it.
 */
export function resafeErrorInfo(info: SourceErrorInfo): SourceErrorInfo {
  return safeErrorInfo({
    code: info.code,
    request: info.endpoint,
    status: info.status,
    timeoutMs: info.timeoutMs,
    errorClass: info.errorClass,
  });
}

/** The socket failures an IT engineer meets most, in words, for the log and the CLI. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
};

export interface FailureFacts {
  code: SourceErrorCode;
  request?: string | undefined;
  status?: number | undefined;
  timeoutMs?: number | undefined;
  cause?: unknown;
  /** An error class already taken from a cause (kept only if it still reads as one). */
  errorClass?: string | undefined;
}

/**
 * A failure as it may travel to the status bar, the administrator's console, the API and the
 * CLI's reports: code, HTTP status, timeout, error class and endpoint template. `message` is their
 * English summary for logs, rebuilt from them alone.
 */
export function safeErrorInfo(facts: FailureFacts): SourceErrorInfo {
  const endpoint = endpointTemplate(facts.request);
  const errorClass = errorClassOf(facts.cause) ?? (facts.errorClass !== undefined ? errorClassOf(classOnly(facts.errorClass)) : undefined);
  const message = [
    facts.code,
    facts.status !== undefined ? `HTTP ${facts.status}` : '',
    facts.timeoutMs !== undefined ? `after ${facts.timeoutMs} ms` : '',
    endpoint !== undefined ? `at ${endpoint}` : '',
    errorClass !== undefined ? `(${errorClass}${ERRNO_TEXT[errorClass] ? `: ${ERRNO_TEXT[errorClass]}` : ''})` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return {
    code: facts.code,
    message,
    ...(facts.timeoutMs !== undefined ? { timeoutMs: facts.timeoutMs } : {}),
    ...(facts.status !== undefined ? { status: facts.status } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(errorClass !== undefined ? { errorClass } : {}),
  };
}
