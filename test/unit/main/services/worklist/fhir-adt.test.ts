import { describe, expect, it } from 'vitest';
import { composeWardWorklist } from '../../../../../src/main/services/worklist/index.ts';
import { adtEventsFromFhirMessage } from '../../../../../src/main/services/worklist/fhir-adt.ts';

const ref = { sourceId: 'cdr', sourcePatientId: 'pat-0042' };
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A FHIR message as an integration platform publishes an admission: MessageHeader, Patient, Encounter. */
function admission(status: string, extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Bundle',
    id: `msg-${status}`,
    type: 'message',
    entry: [
      { resource: { resourceType: 'MessageHeader', id: 'h1', eventCoding: { code: 'admin-notify' } } },
      {
        resource: {
          resourceType: 'Patient',
          id: 'pat-0042',
          name: [{ family: '测', given: ['试乙'] }],
          gender: 'female',
          birthDate: '1950-02-03',
        },
      },
      {
        resource: {
          resourceType: 'Encounter',
          id: 'enc-42',
          status,
          class: { code: 'IMP' },
          subject: { reference: 'Patient/pat-0042' },
          location: [{ location: { reference: 'Location/ward-CARD-1', display: '心内一病区 12床' } }],
          participant: [{ individual: { reference: 'Practitioner/D1001', display: '李医生' } }],
          period: { start: '2026-12-06T09:00:00+08:00' },
          reasonCode: [{ text: '急性心肌梗死' }],
          ...extra,
        },
      },
    ],
  };
}

describe('FHIR ADT from the broker', () => {
  it('an in-progress Encounter on a ward places the patient with the bundle’s name, bed, attending and diagnosis', () => {
    const { events, skipped } = adtEventsFromFhirMessage(bytes(admission('in-progress')), [ref]);
    expect(skipped).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        trigger: 'A08',
        patient: ref,
        name: '测试乙',
        sex: 'female',
        birthDate: '1950-02-03',
        location: { ward: 'CARD-1', bed: '12' },
        attending: { id: 'D1001', display: '李医生' },
        admittedAt: '2026-12-06T09:00:00+08:00',
        diagnosis: '急性心肌梗死',
      }),
    ]);
  });

  it('finished is a discharge, cancelled an A11; a lone Encounter (no bundle) is read too', () => {
    expect(adtEventsFromFhirMessage(bytes(admission('finished')), [ref]).events[0]?.trigger).toBe('A03');
    expect(adtEventsFromFhirMessage(bytes(admission('cancelled')), [ref]).events[0]?.trigger).toBe('A11');
    const lone = admission('in-progress').entry[2]!.resource;
    expect(adtEventsFromFhirMessage(bytes(lone), [ref]).events[0]).toMatchObject({ trigger: 'A08', location: { ward: 'CARD-1' } });
  });

  it('believes no Encounter of a patient the message was not stored for, and says why for what it cannot read', () => {
    const other = adtEventsFromFhirMessage(bytes(admission('in-progress')), [{ sourceId: 'cdr', sourcePatientId: 'pat-9' }]);
    expect(other.events).toEqual([]);
    expect(other.skipped[0]).toMatch(/Encounter\/enc-42: its subject is not a patient/);
    const broken = adtEventsFromFhirMessage(bytes(admission('in-progress', { subject: 'Patient/pat-0042' })), [ref]);
    expect(broken.events).toEqual([]);
    expect(broken.skipped).toHaveLength(1);
    expect(adtEventsFromFhirMessage(new TextEncoder().encode('MSH|^~\\&|'), [ref]).skipped).toEqual(['not JSON in UTF-8']);
  });

  it('through the ward worklist: the census takes the stay (admit, then discharge) and the worklist is told once per burst', async () => {
    const ward = composeWardWorklist({
      careWindowDays: 30,
      prefetch: false,
      loadRecord: async () => ({ resources: [] }),
      changeSignal: { quietMs: 5, minIntervalMs: 20 },
    });
    const heard: string[][] = [];
    ward.worklist.onChanged((c) => heard.push(c.reasons));
    ward.onFhirAdt(bytes(admission('in-progress')), [ref]);
    expect(ward.census.stays()).toEqual([
      expect.objectContaining({ status: 'admitted', via: 'broker', location: { ward: 'CARD-1', bed: '12' } }),
    ]);
    // A stored result of a patient on the list is a change; one of a patient not on it is not.
    ward.onRecordStored(ref);
    ward.onRecordStored({ sourceId: 'cdr', sourcePatientId: 'pat-elsewhere' });
    await new Promise((r) => setTimeout(r, 60));
    expect(heard).toEqual([['census', 'results']]);
    ward.onFhirAdt(bytes(admission('finished', { period: { start: '2026-12-06T09:00:00+08:00', end: '2026-12-07T09:00:00+08:00' } })), [
      ref,
    ]);
    expect(ward.census.stays()[0]).toMatchObject({ status: 'discharged', dischargedAt: '2026-12-07T09:00:00+08:00' });
    await new Promise((r) => setTimeout(r, 60));
    expect(heard).toEqual([['census', 'results'], ['census']]);
    ward.onRecordStored({ sourceId: 'cdr', sourcePatientId: 'pat-elsewhere' });
    await new Promise((r) => setTimeout(r, 60));
    expect(heard).toHaveLength(2);
    ward.stop();
  });
});
