import { describe, expect, it } from 'vitest';
import type { Encounter, Group, Location, Patient } from '@medplum/fhirtypes';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/index.ts';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { SourceError } from '../../../../../src/adapters/source-error.ts';
import { combineCensusQueries, fhirCensusQuery, hl7CensusQuery } from '../../../../../src/main/services/worklist/index.ts';
import { adtEventFromSegments } from '../../../../../src/main/services/worklist/adt-event.ts';

const signal = new AbortController().signal;
const sourced = (resource: SourcedResource['resource']): SourcedResource => ({
  resource,
  provenance: {
    sourceId: 'cdr',
    sourceName: 'CDR',
    sourceKind: 'fhir',
    nativeId: `${resource.resourceType}/${resource.id ?? ''}`,
    fetchedAt: '2026-12-07T00:00:00Z',
  },
});
const encounter = (id: string, patient: string, location: NonNullable<Encounter['location']>): Encounter => ({
  resourceType: 'Encounter',
  id,
  status: 'in-progress',
  class: { code: 'IMP' },
  subject: { reference: `Patient/${patient}` },
  location,
});

describe('census events from a census answer', () => {
  it('PV2-3 (admit reason) is the diagnosis when the answer has no DG1', () => {
    const message = parseHl7Message(
      'MSH|^~\\&|HIS|H|HZ|W|20261207080000||RSP^ZV2|1|P|2.5\rPID|1||H1^^^HIS^MR||王^五\rPV1|1|I|CARD-1^01^02\rPV2|||J18.9^肺炎^I10',
    );
    const event = adtEventFromSegments(
      'A08',
      { msh: message.msh, pid: message.segment('PID'), pv1: message.segment('PV1'), pv2: message.segment('PV2'), dg1: [], al1: [] },
      { sourceId: 'his', sourcePatientId: 'H1' },
    );
    expect(event).toMatchObject({ trigger: 'A08', name: '王五', location: { ward: 'CARD-1', room: '01', bed: '02' }, diagnosis: '肺炎' });
  });

  it('FHIR: a bed-only stay is placed on its ward through partOf; a Group member on the Group’s ward', async () => {
    const locations: Location[] = [
      { resourceType: 'Location', id: 'w', identifier: [{ value: 'CARD-1' }] },
      { resourceType: 'Location', id: 'r', partOf: { reference: 'Location/w' } },
      { resourceType: 'Location', id: 'b', partOf: { reference: 'Location/r' } },
    ];
    const group: Group = {
      resourceType: 'Group',
      id: 'g',
      type: 'person',
      actual: true,
      identifier: [{ value: 'RESP-2' }],
      member: [{ entity: { reference: 'Patient/p2' } }],
    };
    const patients: Patient[] = [{ resourceType: 'Patient', id: 'p1', name: [{ family: '赵', given: ['一'] }] }];
    const found = [
      ...locations,
      group,
      ...patients,
      encounter('e1', 'p1', [{ location: { reference: 'Location/b', display: '05室 14床' } }]),
      encounter('e2', 'p2', [{ location: { reference: 'Location/elsewhere', display: '03床' } }]),
    ].map(sourced);
    const query = fhirCensusQuery([{ id: 'cdr', adapter: { fetchCensus: async () => found } }]);
    const { events, answeredBy, failures } = await query({ wards: ['CARD-1', 'RESP-2'] }, signal);
    expect(events.map(({ event, via }) => [event.patient.sourcePatientId, event.location, event.name ?? '', via])).toEqual([
      ['p1', { ward: 'CARD-1', room: '05', bed: '14' }, '赵一', 'fhir'],
      ['p2', { ward: 'RESP-2', bed: '03' }, '', 'fhir'],
    ]);
    expect([answeredBy, failures]).toEqual([['cdr'], []]);
  });

  it('a failing source is a typed failure and answers for nobody; combined queries keep every source’s part', async () => {
    const failing = fhirCensusQuery([
      { id: 'cdr', adapter: { fetchCensus: () => Promise.reject(new SourceError('timeout', 'cdr', 'CDR: no answer')) } },
    ]);
    const his = hl7CensusQuery([
      { id: 'his', adapter: { fetchCensus: () => Promise.reject(new SourceError('server-error', 'his', 'HIS: AR')) } },
    ]);
    const both = combineCensusQueries([failing, his])!;
    expect(await both({ wards: ['CARD-1'] }, signal)).toEqual({
      events: [],
      answeredBy: [],
      failures: [
        { sourceId: 'cdr', code: 'timeout', detail: 'CDR: no answer' },
        { sourceId: 'his', code: 'server-error', detail: 'HIS: AR' },
      ],
    });
    expect(combineCensusQueries([])).toBeUndefined();
  });
});
