/**
 * The HL7 v3 patient messages Huizhen reads, and the ones it knows to be requests. All patient
 * messages carry their patients at controlActProcess/subject/(registrationEvent |
 * registrationRequest)/subject1/patient, with the transmission acknowledgement on the wrapper
 * and, for query answers, queryAck/queryResponseCode.
 */
import type { Element } from '@xmldom/xmldom';
import { attr, child, descend, descendAll } from '../xml/index.ts';
import type { ParseWarning } from './parse-warning.ts';
import { readPatientRole, type PatientOfMessage } from './patient-role.ts';
import { readAcknowledgement, type Acknowledgement } from './transmission-wrapper.ts';

/** Messages carrying patients: what each is, as hospital IT would recognise it. */
export const PATIENT_MESSAGES: Readonly<Record<string, string>> = {
  PRPA_IN201306UV02: 'PDQv3 query response',
  PRPA_IN201310UV02: 'PIXv3 query response',
  PRPA_IN201301UV02: 'patient registry record added (ITI-44)',
  PRPA_IN201302UV02: 'patient registry record revised (ITI-44)',
  PRPA_IN201311UV02: 'patient registry add request (个人信息注册)',
  PRPA_IN201314UV02: 'patient registry revise request (个人信息更新)',
};

/** Messages that ask rather than answer: converting one is a mistake worth naming. */
export const REQUEST_MESSAGES: Readonly<Record<string, { what: string; answer: string }>> = {
  PRPA_IN201305UV02: { what: 'PDQv3 query', answer: 'PRPA_IN201306UV02' },
  PRPA_IN201309UV02: { what: 'PIXv3 query', answer: 'PRPA_IN201310UV02' },
  QueryDocumentListRequest: { what: 'document list query', answer: 'QueryDocumentListResponse' },
  RetrieveDocumentRequest: { what: 'document retrieve', answer: 'RetrieveDocumentResponse' },
};

/** The application acknowledgement that answers registrations, and many failed queries. */
export const ACKNOWLEDGEMENT_MESSAGE = 'MCCI_IN000002UV01';

const INTERACTION = /^[A-Z]{4}_IN\d{6}[A-Z]{2}\d{2}$/;

/**
 * The interaction: the root element's name, which the schema fixes; interactionId/@extension only
 * when the root is not named as one (platforms copy-paste interactionId and get it wrong).
 */
export function interactionOf(message: Element): string {
  const name = message.localName ?? '';
  if (INTERACTION.test(name) || name in REQUEST_MESSAGES) return name;
  return attr(child(message, 'interactionId'), 'extension') ?? name;
}

export interface PatientMessage {
  interaction: string;
  acknowledgement: Acknowledgement;
  queryResponseCode?: string;
  patients: PatientOfMessage[];
  /** Problems with single patients that were skipped or cut rather than failing the message. */
  warnings: ParseWarning[];
}

export function readPatientMessage(message: Element): PatientMessage {
  const acknowledgement = readAcknowledgement(message);
  const control = child(message, 'controlActProcess');
  const queryResponseCode = attr(descend(control, 'queryAck', 'queryResponseCode'), 'code');
  const warnings: ParseWarning[] = [];
  const roles = control
    ? [
        ...descendAll(control, 'subject', 'registrationEvent', 'subject1', 'patient'),
        ...descendAll(control, 'subject', 'registrationRequest', 'subject1', 'patient'),
      ]
    : [];
  const patients = roles.map((p) => readPatientRole(p, warnings)).filter((p): p is PatientOfMessage => !!p);
  return { interaction: interactionOf(message), acknowledgement, ...(queryResponseCode ? { queryResponseCode } : {}), patients, warnings };
}
