/**
 * `huizhen convert hl7v3 FILE`: a PRPA_IN201306UV02 (bare, or still in its SOAP envelope) →
 * a FHIR collection Bundle of its Patients. A fault or an AE/AR acknowledgement is an error
 * with the platform's text, so hospital IT sees why a query failed.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { CdaError } from '../cda/cda-error.ts';
import { deterministicUuid } from '../cda/deterministic-id.ts';
import { parseXml, rootElement } from '../cda/xml/safe-xml.ts';
import { pathOf } from '../cda/xml/v3-dom.ts';
import { readPdqResponse } from './pdq-response.ts';
import { readEnvelope, SOAP_NS } from './soap-envelope.ts';

function payloadOf(input: string | Uint8Array): Element {
  const root = rootElement(parseXml(input, 'the HL7 v3 message'));
  if (root.localName === 'Envelope' && (root.namespaceURI === SOAP_NS['1.1'] || root.namespaceURI === SOAP_NS['1.2'])) {
    const message = readEnvelope(input);
    if (message.kind === 'fault') {
      throw new CdaError('value', '/Envelope/Body/Fault', `SOAP ${message.fault.version} fault ${message.fault.code}: ${message.fault.reason}`);
    }
    return message.payload;
  }
  return root;
}

export function convertHl7v3ToBundle(xml: string | Uint8Array): Bundle<Patient> {
  const payload = payloadOf(xml);
  const answer = readPdqResponse(payload);
  const ack = answer.acknowledgement.typeCode;
  if (ack === 'AE' || ack === 'AR') {
    throw new CdaError('value', `${pathOf(payload)}/acknowledgement`, `acknowledgement ${ack}${answer.acknowledgement.details.length > 0 ? `: ${answer.acknowledgement.details.join('; ')}` : ''}`);
  }
  const entries = answer.patients.map(({ ids, patient }) => {
    const id = deterministicUuid(`pdq#${ids.map((i) => `${i.root}^${i.extension ?? ''}`).join('|')}`);
    return { fullUrl: `urn:uuid:${id}`, resource: { ...patient, id } };
  });
  return { resourceType: 'Bundle', type: 'collection', entry: entries };
}
