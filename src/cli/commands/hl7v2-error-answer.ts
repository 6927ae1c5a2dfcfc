/**
 * `huizhen convert hl7v2` of a system's error answer (MSA-1 AE/AR/CE/CR, or QAK-2 AE/AR) would
 * otherwise print an empty Bundle and exit 0, which a script reads as "nothing there". Read
 * through the HL7 v2 adapter's public door; the text is the system's own (MSA-3, ERR).
 */
import { readAcknowledgment, readHl7Batch, readQueryStatus } from '../../adapters/hl7v2/index.ts';

const FAILED_ACK = new Set(['AE', 'AR', 'CE', 'CR']);
const FAILED_QUERY = new Set(['AE', 'AR']);

/** The first error answer in the message or batch, described; undefined when there is none. */
export function hl7v2ErrorAnswer(bytes: Uint8Array): string | undefined {
  for (const message of readHl7Batch(bytes).messages) {
    const ack = readAcknowledgment(message);
    if (ack && FAILED_ACK.has(ack.code)) return `acknowledgement MSA-1 ${ack.code}${ack.text ? `: ${ack.text.slice(0, 300)}` : ''}`;
    const query = readQueryStatus(message);
    if (query && FAILED_QUERY.has(query)) return `query status QAK-2 ${query}${ack?.text ? `: ${ack.text.slice(0, 300)}` : ''}`;
  }
  return undefined;
}
