/**
 * What the listener accepts before anything is converted: a sender on the allow-list, a message
 * type it knows how to store, and a control id to acknowledge and de-duplicate by.
 */
import type { Hl7Header } from '../../../adapters/hl7v2/message-header.ts';
import type { InboundHl7Sender } from '../../../shared/config/inbound-hl7.ts';
import type { AckProblem } from './inbound-ack.ts';

/**
 * ADT events that carry a patient's demographics or visit (and the cancels the ward census
 * follows), the unsolicited result, and the HIS's pharmacy orders (RDE^O11 encoded order,
 * OMP^O09 order; a discontinue is the same message with ORC-1 DC/CA) for medication reconciliation,
 * and its imaging orders (ORM^O01, OMI^O23): the order's indication beside a study not yet reported.
 */
export const ACCEPTED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  ADT: ['A01', 'A02', 'A03', 'A04', 'A08', 'A11', 'A12', 'A13', 'A40'],
  ORU: ['R01'],
  RDE: ['O11'],
  OMP: ['O09'],
  ORM: ['O01'],
  OMI: ['O23'],
};

export function senderAllowed(header: Hl7Header, allowed: readonly InboundHl7Sender[] | undefined): boolean {
  if (!allowed) return true;
  return allowed.some(
    (s) => s.application === header.sendingApplication && (s.facility === undefined || s.facility === header.sendingFacility),
  );
}

/** Undefined when the message may go on; else why it is refused (answered AR/CR). */
export function refusalOf(header: Hl7Header, allowed: readonly InboundHl7Sender[] | undefined): AckProblem | undefined {
  if (!senderAllowed(header, allowed)) {
    return {
      errorCode: '207',
      text: `sender "${header.sendingApplication}^${header.sendingFacility}" (MSH-3/MSH-4) is not allowed to push to this workstation`,
      location: { segment: 'MSH', sequence: 1, field: 3 },
    };
  }
  const events = ACCEPTED_EVENTS[header.messageCode];
  if (!events) {
    return {
      errorCode: '200',
      text: `message type "${header.messageCode}" is not accepted (only ADT, ORU^R01, RDE^O11, OMP^O09, ORM^O01 and OMI^O23)`,
      location: { segment: 'MSH', sequence: 1, field: 9 },
    };
  }
  if (!events.includes(header.triggerEvent)) {
    return {
      errorCode: '201',
      text: `event "${header.messageType}" is not accepted (${events.map((e) => `${header.messageCode}^${e}`).join(', ')})`,
      location: { segment: 'MSH', sequence: 1, field: 9 },
    };
  }
  if (!header.controlId) {
    return { errorCode: '101', text: 'message control id (MSH-10) is missing', location: { segment: 'MSH', sequence: 1, field: 10 } };
  }
  return undefined;
}

/** Retransmissions are recognised per sending application and facility. */
export function senderKeyOf(header: Hl7Header): string {
  return `${header.sendingApplication}^${header.sendingFacility}`;
}
