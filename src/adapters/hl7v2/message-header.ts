/** The MSH fields every exchange needs: who, what, which message, which version, which charset. */
import type { Hl7Message } from './hl7-message.ts';

export interface Hl7Header {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-7 as written. */
  dateTime: string;
  /** "ORU^R01" (code^trigger), without the structure component. */
  messageType: string;
  messageCode: string;
  triggerEvent: string;
  /** MSH-10; "" when the sender left it out. */
  controlId: string;
  processingId: string;
  version: string;
  charset: string;
}

export function readHeader(message: Hl7Message): Hl7Header {
  const msh = message.msh;
  const code = msh.get(9, 1);
  const trigger = msh.get(9, 2);
  return {
    sendingApplication: msh.get(3),
    sendingFacility: msh.get(4),
    receivingApplication: msh.get(5),
    receivingFacility: msh.get(6),
    dateTime: msh.get(7),
    messageType: trigger ? `${code}^${trigger}` : code,
    messageCode: code,
    triggerEvent: trigger,
    controlId: msh.get(10),
    processingId: msh.get(11),
    version: msh.get(12),
    charset: msh.get(18),
  };
}
