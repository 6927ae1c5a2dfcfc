/**
 * `huizhen convert hl7v3 FILE`: an HL7 v3 patient message (bare, in its SOAP envelope, or inside
 * a platform's operation wrapper) → a FHIR collection Bundle of its Patients. Reads the PDQv3 and
 * PIXv3 answers and the registration / update messages (patient-messages.ts), in the classic and
 * the ISO data-type styles. An error answer — SOAP fault, AE/AR acknowledgement, queryAck AE/QE —
 * is refused with the platform's text; so is a request given in place of its answer.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { deterministicUuid } from '../cda/deterministic-id.ts';
import { parseXml, pathOf, rootElement } from '../xml/index.ts';
import { answerFailure, describeFailure } from './answer-status.ts';
import { Hl7v3MessageError } from './hl7v3-message-error.ts';
import { hl7v3MessageIn } from './message-payload.ts';
import { ACKNOWLEDGEMENT_MESSAGE, interactionOf, PATIENT_MESSAGES, readPatientMessage, REQUEST_MESSAGES } from './patient-messages.ts';
import { readEnvelopeElement, SOAP_NS } from './soap-envelope.ts';

function messageOf(input: string | Uint8Array): Element {
  const root = rootElement(parseXml(input, 'the HL7 v3 message'));
  if (root.localName === 'Envelope' && (root.namespaceURI === SOAP_NS['1.1'] || root.namespaceURI === SOAP_NS['1.2'])) {
    const message = readEnvelopeElement(root);
    if (message.kind === 'fault') {
      throw new Hl7v3MessageError(
        'error-answer',
        '/Envelope/Body/Fault',
        `SOAP ${message.fault.version} fault ${message.fault.code}: ${message.fault.reason}`,
      );
    }
    return hl7v3MessageIn(message.payload);
  }
  return hl7v3MessageIn(root);
}

export function convertHl7v3ToBundle(xml: string | Uint8Array): Bundle<Patient> {
  const message = messageOf(xml);
  const at = pathOf(message);
  const interaction = interactionOf(message);
  const request = REQUEST_MESSAGES[interaction];
  if (request) {
    throw new Hl7v3MessageError(
      'request-not-answer',
      at,
      `${interaction} is a ${request.what} request, not an answer: convert the platform's ${request.answer} instead`,
    );
  }
  const read = readPatientMessage(message);
  const failure = answerFailure(read.acknowledgement, read.queryResponseCode);
  if (failure)
    throw new Hl7v3MessageError(
      'error-answer',
      `${at}/${failure.from}`,
      `the platform answered with an error: ${describeFailure(failure)}`,
      failure,
    );
  if (interaction === ACKNOWLEDGEMENT_MESSAGE) {
    throw new Hl7v3MessageError(
      'acknowledgement-only',
      at,
      `${interaction} is an acknowledgement (${read.acknowledgement.typeCode ?? 'no type'}) and carries no patient`,
    );
  }
  if (!(interaction in PATIENT_MESSAGES)) {
    throw new Hl7v3MessageError(
      'unsupported-message',
      at,
      `<${interaction.slice(0, 60)}> is not a patient message this converter reads (${Object.keys(PATIENT_MESSAGES).join(', ')})`,
    );
  }
  const entries = read.patients.map(({ ids, patient }) => {
    const id = deterministicUuid(`pdq#${ids.map((i) => `${i.root}^${i.extension ?? ''}`).join('|')}`);
    return { fullUrl: `urn:uuid:${id}`, resource: { ...patient, id } };
  });
  return { resourceType: 'Bundle', type: 'collection', entry: entries };
}
