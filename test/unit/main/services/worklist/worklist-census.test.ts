import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/index.ts';
import { adtEventFromMessage, type AdtEvent } from '../../../../../src/main/services/worklist/adt-event.ts';
import { applyAdtEvent, emptyCensus, expiredStays, stayKey, type Census } from '../../../../../src/main/services/worklist/census.ts';

const ref = { sourceId: 'his', sourcePatientId: 'MRN1' };
const key = stayKey(ref);
const ev = (trigger: AdtEvent['trigger'], extra: Partial<AdtEvent> = {}): AdtEvent => ({ trigger, patient: ref, ...extra });
const bed = (b: string, ward = 'CARD-1') => ({ ward, room: '01', bed: b });

function run(events: AdtEvent[]): { census: Census; kinds: string[] } {
  let census = emptyCensus();
  const kinds: string[] = [];
  for (const e of events) {
    const r = applyAdtEvent(census, e);
    census = r.census;
    kinds.push(r.change.kind);
  }
  return { census, kinds };
}

describe('the census state machine over ADT events', () => {
  it('admits (A01), transfers (A02), discharges (A03)', () => {
    const { census, kinds } = run([
      ev('A01', { location: bed('03'), admittedAt: '2026-12-01T09:00:00+08:00', name: '测试甲' }),
      ev('A02', { location: bed('07', 'RESP-2') }),
      ev('A03', { dischargedAt: '2026-12-05T10:00:00+08:00' }),
    ]);
    expect(kinds).toEqual(['arrived', 'moved', 'discharged']);
    expect(census.stays[key]).toMatchObject({
      status: 'discharged',
      location: bed('07', 'RESP-2'),
      previousLocation: bed('03'),
      name: '测试甲',
      admittedAt: '2026-12-01T09:00:00+08:00',
    });
  });

  it('A11 cancels the admission: the patient leaves the census', () => {
    const { census, kinds } = run([ev('A01', { location: bed('03') }), ev('A11')]);
    expect(kinds).toEqual(['arrived', 'removed']);
    expect(census.stays[key]).toBeUndefined();
  });

  it('A12 cancels the transfer: back to the previous bed', () => {
    const { census, kinds } = run([ev('A01', { location: bed('03') }), ev('A02', { location: bed('09') }), ev('A12')]);
    expect(kinds).toEqual(['arrived', 'moved', 'moved']);
    expect(census.stays[key]?.location).toEqual(bed('03'));
    expect(census.stays[key]?.previousLocation).toBeUndefined();
  });

  it('A13 cancels the discharge: admitted again, discharge time gone', () => {
    const { census, kinds } = run([
      ev('A01', { location: bed('03') }),
      ev('A03', { dischargedAt: '2026-12-05T10:00:00+08:00' }),
      ev('A13'),
    ]);
    expect(kinds).toEqual(['arrived', 'discharged', 'returned']);
    expect(census.stays[key]).toMatchObject({ status: 'admitted', location: bed('03') });
    expect(census.stays[key]?.dischargedAt).toBeUndefined();
  });

  it('A08 updates a known stay and places a patient the census had not heard of; A04 registers like an admit', () => {
    const updated = run([
      ev('A01', { location: bed('03') }),
      ev('A08', { diagnosis: '急性心肌梗死', attending: { id: 'D1001', display: '李医生' } }),
    ]);
    expect(updated.kinds).toEqual(['arrived', 'updated']);
    expect(updated.census.stays[key]).toMatchObject({ diagnosis: '急性心肌梗死', attending: { id: 'D1001' }, location: bed('03') });
    expect(run([ev('A08', { location: bed('05') })]).kinds).toEqual(['arrived']);
    expect(run([ev('A04', { location: bed('05') })]).kinds).toEqual(['arrived']);
  });

  it('ignores what has nothing to act on: cancels and discharges of unknown stays, A12 without a transfer, A13 of an admitted patient, admits without a ward', () => {
    expect(run([ev('A11'), ev('A12'), ev('A13'), ev('A03'), ev('A01'), ev('A08')]).kinds).toEqual([
      'ignored',
      'ignored',
      'ignored',
      'ignored',
      'ignored',
      'ignored',
    ]);
    expect(run([ev('A01', { location: bed('03') }), ev('A12'), ev('A13')]).kinds).toEqual(['arrived', 'ignored', 'ignored']);
  });

  it('a repeated A01 of the same visit updates; a new visit starts afresh (no stale discharge)', () => {
    const again = run([
      ev('A01', { location: bed('03'), visitNumber: 'V1', diagnosis: 'x' }),
      ev('A01', { location: bed('03'), visitNumber: 'V1' }),
    ]);
    expect(again.kinds).toEqual(['arrived', 'updated']);
    expect(again.census.stays[key]?.diagnosis).toBe('x');
    const readmit = run([
      ev('A01', { location: bed('03'), visitNumber: 'V1' }),
      ev('A03', { dischargedAt: '2026-11-01T10:00:00+08:00' }),
      ev('A01', { location: bed('04'), visitNumber: 'V2' }),
    ]);
    expect(readmit.kinds.at(-1)).toBe('arrived');
    expect(readmit.census.stays[key]).toMatchObject({ status: 'admitted', visitNumber: 'V2' });
    expect(readmit.census.stays[key]?.dischargedAt).toBeUndefined();
  });

  it('never changes the census it was given', () => {
    const before = run([ev('A01', { location: bed('03') })]).census;
    const snapshot = JSON.stringify(before);
    applyAdtEvent(before, ev('A11'));
    applyAdtEvent(before, ev('A02', { location: bed('09') }));
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('discharged stays leave after the care window, admitted ones never', () => {
    const { census } = run([ev('A01', { location: bed('03') }), ev('A03', { dischargedAt: '2026-11-01T10:00:00+08:00' })]);
    const now = Date.parse('2026-12-07T00:00:00Z');
    expect(expiredStays(census, now, 30)).toHaveLength(1);
    expect(expiredStays(census, now, 40)).toHaveLength(0);
  });
});

/** A PV1 segment with these fields (by HL7 field number). */
function pv1(fields: Record<number, string>): string {
  const out = Array.from({ length: 45 }, (_, i) => fields[i] ?? '');
  out[0] = 'PV1';
  return out.join('|');
}

describe('ADT facts from an HL7 v2 message', () => {
  const adt = (trigger: string, extra = '') =>
    parseHl7Message(
      [
        `MSH|^~\\&|HIS|DEMO|HUIZHEN|WS|20261207083000+0800||ADT^${trigger}^ADT_A01|C-${trigger}|P|2.5|||||CHN|UNICODE UTF-8`,
        `EVN|${trigger}|20261207082500`,
        'PID|1||MRN1^^^HIS^MR~110101195001011234^^^CHN^NNCHN||王^小明||19500101|M',
        pv1({ 2: 'I', 3: 'CARD-1^01^03', 7: 'D1001^李^医生', 19: 'V100', 44: '20261201090000' }),
        'DG1|1||I21.9^急性心肌梗死^ICD10||20261201|A',
        'AL1|1|DA|^青霉素',
        extra,
      ]
        .filter(Boolean)
        .join('\r'),
    );

  it('reads trigger, ward/room/bed, attending, admission time, principal diagnosis and the allergy flag', () => {
    expect(adtEventFromMessage(adt('A01'), ref)).toEqual({
      trigger: 'A01',
      patient: ref,
      occurredAt: '2026-12-07T08:25:00+08:00',
      visitNumber: 'V100',
      name: '王小明',
      sex: 'male',
      birthDate: '1950-01-01',
      identifiers: [
        { value: 'MRN1', system: 'HIS', type: 'MR' },
        { value: '110101195001011234', system: 'CHN', type: 'NNCHN' },
      ],
      location: { ward: 'CARD-1', room: '01', bed: '03' },
      attending: { id: 'D1001', display: '李医生' },
      admittedAt: '2026-12-01T09:00:00+08:00',
      diagnosis: '急性心肌梗死',
      allergies: true,
    });
  });

  it('follows the cancels and refuses what is not a census event', () => {
    expect(adtEventFromMessage(adt('A11'), ref)?.trigger).toBe('A11');
    expect(adtEventFromMessage(adt('A40'), ref)).toBeUndefined();
  });
});
