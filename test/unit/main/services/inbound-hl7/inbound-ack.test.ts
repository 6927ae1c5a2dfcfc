import { describe, expect, it } from 'vitest';
import { Hl7ParseError } from '../../../../../src/adapters/hl7v2/hl7-parse-error.ts';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { readHeader } from '../../../../../src/adapters/hl7v2/message-header.ts';
import {
  ackCodeFor,
  ackModeOf,
  ackWanted,
  buildInboundAck,
  buildUnreadableAck,
} from '../../../../../src/main/services/inbound-hl7/inbound-ack.ts';
import { refusalOf, senderKeyOf } from '../../../../../src/main/services/inbound-hl7/message-policy.ts';
import { peekControlId, problemFromParseError, segmentNamesOf } from '../../../../../src/main/services/inbound-hl7/parse-problem.ts';

const msg = (msh15 = '', msh16 = '', type = 'ORU^R01', id = 'C1') =>
  parseHl7Message(`MSH|^~\\&|LIS|HOSP|HZ|WARD|20250301||${type}|${id}|P|2.5|||${msh15}|${msh16}\rPID|1||X^^^LIS\r`);

describe('acknowledgment mode (MSH-15/MSH-16)', () => {
  it('original mode answers AA/AE/AR, always', () => {
    const mode = ackModeOf(msg());
    expect(mode).toEqual({ kind: 'original' });
    expect((['accepted', 'error', 'rejected'] as const).map((s) => [ackCodeFor(mode, s), ackWanted(mode, s)])).toEqual([
      ['AA', true],
      ['AE', true],
      ['AR', true],
    ]);
  });

  it('enhanced mode answers CA/CE/CR as MSH-15 asks: AL, ER, SU, NE; unknown or empty means AL', () => {
    expect(ackCodeFor(ackModeOf(msg('AL')), 'accepted')).toBe('CA');
    expect(ackCodeFor(ackModeOf(msg('AL')), 'error')).toBe('CE');
    expect(ackCodeFor(ackModeOf(msg('AL')), 'rejected')).toBe('CR');
    expect([ackWanted(ackModeOf(msg('ER')), 'accepted'), ackWanted(ackModeOf(msg('ER')), 'error')]).toEqual([false, true]);
    expect([ackWanted(ackModeOf(msg('SU')), 'accepted'), ackWanted(ackModeOf(msg('SU')), 'rejected')]).toEqual([true, false]);
    expect(ackWanted(ackModeOf(msg('NE')), 'error')).toBe(false);
    expect(ackModeOf(msg('', 'AL'))).toEqual({ kind: 'enhanced', accept: 'AL' });
    expect(ackModeOf(msg('XX'))).toEqual({ kind: 'enhanced', accept: 'AL' });
  });

  it('an error ACK is addressed back, escapes delimiters in the text and locates the error in ERR-2', () => {
    const ack = buildInboundAck(msg(), {
      status: 'error',
      problem: { errorCode: '101', text: 'PID-3 a|b^c\r\nnext', location: { segment: 'PID', sequence: 1, field: 3 } },
    });
    const lines = ack.split('\r');
    expect(lines[0]).toMatch(/^MSH\|\^~\\&\|HZ\|WARD\|LIS\|HOSP\|\d{14}\+0800\|\|ACK\^R01\^ACK\|ACK\w+\|P\|2\.5$/);
    expect(lines[1]).toBe('MSA|AE|C1|PID-3 a\\F\\b\\S\\c next');
    expect(lines[2]).toBe('ERR||PID^1^3|101^Required field missing^HL70357|E||||PID-3 a\\F\\b\\S\\c next');
  });

  it('bytes without a header get an AR with the peeked control id, or none', () => {
    const ack = buildUnreadableAck({ errorCode: '100', text: 'no MSH' }, 'C9', 'HUIZHEN');
    expect(ack.split('\r')[1]).toBe('MSA|AR|C9|no MSH');
    expect(peekControlId(new TextEncoder().encode('MSH|^~\\&|A|B|C|D|T||ORU^R01|ID-7|P|2.5'))).toBe('ID-7');
    expect(peekControlId(new TextEncoder().encode('MSH|^~\\&|A|B|C|D|T||ORU^R01|bad id\\|P'))).toBe('');
    expect(peekControlId(new TextEncoder().encode('not hl7'))).toBe('');
  });
});

describe('parse errors → ERR', () => {
  it('counts the segment occurrence, not the line, and reads the field number', () => {
    const names = segmentNamesOf('MSH|x\rPID|1\rOBX|1\rNTE|1\rOBX|2\r');
    const error = new Hl7ParseError('bad value', { segment: 'OBX', segmentIndex: 4, field: 'OBX-5' });
    expect(problemFromParseError(error, names)).toMatchObject({ errorCode: '102', location: { segment: 'OBX', sequence: 2, field: 5 } });
    expect(
      problemFromParseError(
        new Hl7ParseError('message type (MSH-9) is missing', { segment: 'MSH', segmentIndex: 0, field: 'MSH-9' }),
        names,
      ).errorCode,
    ).toBe('101');
    expect(problemFromParseError(new Hl7ParseError('odd line', { segmentIndex: 2 }), names)).toMatchObject({
      errorCode: '100',
      location: { segment: 'OBX', sequence: 1 },
    });
    expect(problemFromParseError(new Hl7ParseError('empty message'), []).location).toBeUndefined();
  });
});

describe('message policy', () => {
  const header = (type: string, id = 'C1') => readHeader(msg('', '', type, id));
  it('accepts the ADT events and ORU^R01 it can store', () => {
    for (const type of ['ADT^A01', 'ADT^A02', 'ADT^A03', 'ADT^A04', 'ADT^A08', 'ADT^A40', 'ORU^R01', 'ORM^O01', 'OMI^O23'])
      expect(refusalOf(header(type), undefined)).toBeUndefined();
  });
  it('refuses other types and events, a missing MSH-10, and senders off the allow-list', () => {
    expect(refusalOf(header('SIU^S12'), undefined)?.errorCode).toBe('200');
    expect(refusalOf(header('ADT^A31'), undefined)?.errorCode).toBe('201');
    expect(refusalOf(header('ORU^R01', ''), undefined)?.location).toEqual({ segment: 'MSH', sequence: 1, field: 10 });
    expect(refusalOf(header('ORU^R01'), [{ application: 'LIS' }])).toBeUndefined();
    expect(refusalOf(header('ORU^R01'), [{ application: 'LIS', facility: 'OTHER' }])?.location?.field).toBe(3);
    expect(refusalOf(header('ORU^R01'), [{ application: 'HIS' }])?.errorCode).toBe('207');
  });
  it('keys retransmissions by sending application and facility', () => {
    expect(senderKeyOf(header('ORU^R01'))).toBe('LIS^HOSP');
  });
});
