/**
 * One delivery from the broker → what to tell the broker. HL7 v2 goes through the inbound MLLP
 * path (conversion worker, budgets, held messages, control-id journal); FHIR is stored here with a
 * journal of its own. The answer is decided only once the records (and the message's id) are
 * durable in the encrypted cache, so an ack never precedes the commit.
 */
import { createHash } from 'node:crypto';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { CacheStore } from '../cache/index.ts';
import { CacheError } from '../cache/index.ts';
import type { ControlIdJournal, InboundHl7Pipeline, InboundOutcome } from '../inbound-hl7/index.ts';
import { cacheKeyOf } from '../patient-record/index.ts';
import { readFhirMessage } from './fhir-message.ts';

export interface Delivery {
  body: Uint8Array;
  routingKey: string;
  contentType: string | undefined;
  messageId: string | undefined;
}

export type Decision =
  /** Stored now or earlier (a redelivery): acknowledge. */
  | { action: 'ack'; stored: boolean; format: 'hl7v2' | 'fhir'; messageType: string; messageId: string; patients: SourcePatientRef[] }
  /** Will never be stored as it is: to the dead-letter queue with the reason. */
  | { action: 'dead-letter'; reason: string; messageId: string }
  /** Could not be stored now (the cache refused the write): left with the broker to deliver again. */
  | { action: 'retry'; reason: string; messageId: string };

export interface DeliveryHandlerDeps {
  hl7: InboundHl7Pipeline;
  store: CacheStore;
  /** Present when FHIR messages have a source to be stored as. */
  fhir?: { sourceId: string; sourceName: string; journal: ControlIdJournal };
  clock?: () => Date;
}

/** The sender key FHIR message ids are remembered under in their journal. */
export const FHIR_SENDER_KEY = 'broker:fhir';

export function formatOf(delivery: Delivery): 'hl7v2' | 'fhir' | undefined {
  const type = (delivery.contentType ?? '').toLowerCase();
  if (type.includes('hl7-v2') || type.includes('x-hl7')) return 'hl7v2';
  if (type.includes('fhir') || type.includes('json')) return 'fhir';
  // No content type: the first bytes tell (MSH, or a byte-order mark before it; "{" for JSON).
  let i = 0;
  while (
    i < delivery.body.length &&
    (delivery.body[i] === 0x20 ||
      delivery.body[i] === 0x0b ||
      delivery.body[i] === 0xef ||
      delivery.body[i] === 0xbb ||
      delivery.body[i] === 0xbf)
  )
    i++;
  const head = Buffer.from(delivery.body.subarray(i, i + 3)).toString('latin1');
  if (head === 'MSH') return 'hl7v2';
  if (head.startsWith('{')) return 'fhir';
  return undefined;
}

function fromHl7(outcome: InboundOutcome, fallbackId: string): Decision {
  switch (outcome.kind) {
    case 'stored':
      return {
        action: 'ack',
        stored: true,
        format: 'hl7v2',
        messageType: outcome.messageType,
        messageId: outcome.controlId,
        patients: outcome.patients,
      };
    case 'duplicate':
      return {
        action: 'ack',
        stored: false,
        format: 'hl7v2',
        messageType: outcome.messageType,
        messageId: outcome.controlId,
        patients: [],
      };
    case 'refused':
      if (outcome.retryable) return { action: 'retry', reason: outcome.problem.text, messageId: outcome.controlId || fallbackId };
      return {
        action: 'dead-letter',
        reason: `HL7 v2 ${outcome.status === 'rejected' ? 'rejected' : 'error'} (${outcome.problem.errorCode}): ${outcome.problem.text}`,
        messageId: outcome.controlId || fallbackId,
      };
    case 'held':
      if (!outcome.kept) return { action: 'retry', reason: outcome.problem.text, messageId: outcome.controlId || fallbackId };
      return {
        action: 'dead-letter',
        reason: `HL7 v2 held (${outcome.limit}): ${outcome.problem.text}`,
        messageId: outcome.controlId || fallbackId,
      };
  }
}

export function createDeliveryHandler(deps: DeliveryHandlerDeps): (delivery: Delivery) => Promise<Decision> {
  const clock = deps.clock ?? (() => new Date());

  async function storeFhir(delivery: Delivery, digestId: string): Promise<Decision> {
    const fhir = deps.fhir;
    if (!fhir)
      return {
        action: 'dead-letter',
        reason: 'FHIR messages are not accepted: broker.fhirSourceId is not configured',
        messageId: delivery.messageId ?? digestId,
      };
    const reading = readFhirMessage(delivery.body, {
      sourceId: fhir.sourceId,
      sourceName: fhir.sourceName,
      receivedAt: clock().toISOString(),
    });
    const messageId = delivery.messageId ?? (reading.ok ? reading.messageId : undefined) ?? digestId;
    if (!reading.ok) return { action: 'dead-letter', reason: `FHIR: ${reading.reason}`, messageId };
    const messageType = `FHIR ${reading.eventCode ?? 'message'}`;
    if (fhir.journal.has(FHIR_SENDER_KEY, messageId))
      return { action: 'ack', stored: false, format: 'fhir', messageType, messageId, patients: [] };
    try {
      // The records and the message id in one transaction: stored and remembered, or neither.
      const remembered = fhir.journal.prepare([{ senderKey: FHIR_SENDER_KEY, controlId: messageId }]);
      await deps.store.putRecordBatch([
        ...reading.pushes.map((push) => ({
          patientKey: cacheKeyOf({ sourceId: fhir.sourceId, sourcePatientId: push.sourcePatientId }),
          sourceId: fhir.sourceId,
          records: push.records,
        })),
        ...remembered.writes,
      ]);
      remembered.settle();
    } catch (error) {
      const reason =
        error instanceof CacheError
          ? `not stored (${error.code}): ${error.message}`
          : `not stored: ${error instanceof Error ? error.message : String(error)}`;
      return { action: 'retry', reason, messageId };
    }
    return {
      action: 'ack',
      stored: true,
      format: 'fhir',
      messageType,
      messageId,
      patients: reading.pushes.map((p) => ({ sourceId: fhir.sourceId, sourcePatientId: p.sourcePatientId })),
    };
  }

  // FHIR messages are stored one at a time, so a redelivery meets the journal after its original.
  let fhirQueue: Promise<unknown> = Promise.resolve();
  const storeFhirInTurn = (delivery: Delivery, digestId: string): Promise<Decision> => {
    const run = fhirQueue.then(() => storeFhir(delivery, digestId));
    fhirQueue = run.catch(() => undefined);
    return run;
  };

  return async function handle(delivery) {
    const digestId = `sha256:${createHash('sha256').update(delivery.body).digest('hex').slice(0, 32)}`;
    const format = formatOf(delivery);
    if (format === 'hl7v2') {
      try {
        return fromHl7((await deps.hl7.process(delivery.body)).outcome, delivery.messageId ?? digestId);
      } catch (error) {
        return {
          action: 'retry',
          reason: error instanceof Error ? error.message : String(error),
          messageId: delivery.messageId ?? digestId,
        };
      }
    }
    if (format === 'fhir') return storeFhirInTurn(delivery, digestId);
    return {
      action: 'dead-letter',
      reason: `neither HL7 v2 nor FHIR (content type "${delivery.contentType ?? ''}")`,
      messageId: delivery.messageId ?? digestId,
    };
  };
}
