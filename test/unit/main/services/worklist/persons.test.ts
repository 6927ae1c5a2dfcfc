import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../../../src/shared/domain/fhir.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';
import type { AdtEvent } from '../../../../../src/main/services/worklist/adt-event.ts';
import type { Stay } from '../../../../../src/main/services/worklist/census.ts';
import { createCensusKeeper } from '../../../../../src/main/services/worklist/census-keeper.ts';
import { createMemoryLastViewed } from '../../../../../src/main/services/worklist/last-viewed.ts';
import { groupStays, patientOfStay, type LinkPersonsPort } from '../../../../../src/main/services/worklist/persons.ts';
import { createWorklist } from '../../../../../src/main/services/worklist/worklist.ts';
import { groupCandidates } from '../../../../../src/main/services/identity/index.ts';

/**
 * One worklist row per person: the stays of records the identity service links (here its real
 * grouping, as search runs it) are one row, placed at the HIS's bed, with every system named
 * and a disagreement on the bed marked.
 */
const NOW = Date.parse('2026-12-07T02:00:00Z');
const RESIDENT_ID = 'urn:oid:2.16.156.10011.1.3';
const doctor: User = { id: 'u', displayName: 'u', roles: ['ward-doctor'], wards: ['CARD-1'], practitionerId: 'D1', authMethod: 'local' };

const link: LinkPersonsPort = (patients) =>
  groupCandidates(patients).filter((c) => c.link.outcome === 'linked' || c.link.outcome === 'single');

type Person = { name: string; residentId: string; birthDate: string; sex: 'male' | 'female' };
const OUYANG: Person = { name: '欧阳志明', residentId: '110101195003071234', birthDate: '1950-03-07', sex: 'male' };
const CHEN: Person = { name: '陈秀英', residentId: '310101196511232345', birthDate: '1965-11-23', sex: 'female' };

function stayEvent(sourceId: 'his' | 'cdr', id: string, person: Person, bed: string, ward = 'CARD-1'): AdtEvent {
  return {
    trigger: sourceId === 'his' ? 'A01' : 'A08',
    patient: { sourceId, sourcePatientId: id },
    name: person.name,
    sex: person.sex,
    birthDate: person.birthDate,
    identifiers: [
      { value: id, ...(sourceId === 'his' ? { system: 'HIS', type: 'MR' } : {}) },
      { value: person.residentId, system: RESIDENT_ID },
    ],
    location: { ward, bed },
    attending: { id: 'D1', display: '李医生' },
    admittedAt: '2026-12-05T22:00:00+08:00',
  };
}

const result = (id: string, at: string, flag: string): Resource =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { text: 'K' },
    issued: at,
    interpretation: [{ coding: [{ code: flag }] }],
  }) as Resource;

function world(
  events: { event: AdtEvent; via: Stay['via'] }[],
  records: Record<string, Resource[]> = {},
  linker: LinkPersonsPort | null = link,
) {
  const census = createCensusKeeper();
  for (const { event, via } of events) census.accept(event, via);
  return createWorklist({
    census,
    lastViewed: createMemoryLastViewed(),
    careWindowDays: 30,
    clock: () => NOW,
    ...(linker ? { linkPersons: linker } : {}),
    judgeResults: ({ newResults }) => ({
      abnormal: newResults.filter((o) => o.interpretation?.[0]?.coding?.[0]?.code !== 'N').length,
      critical: newResults.filter((o) => o.interpretation?.[0]?.coding?.[0]?.code === 'HH').length,
    }),
    records: {
      cached: async (ref) =>
        (records[`${ref.sourceId}/${ref.sourcePatientId}`] ?? []).map((resource) => ({
          resource,
          provenance: {
            sourceId: ref.sourceId,
            sourceName: ref.sourceId,
            sourceKind: ref.sourceId === 'cdr' ? ('fhir' as const) : ('hl7v2' as const),
            nativeId: resource.id ?? '',
            fetchedAt: new Date(NOW).toISOString(),
          },
        })),
    },
  });
}
const list = (w: ReturnType<typeof world>) => w.list(doctor, { from: 'cache', mask: (c) => c });

describe('worklist rows per person', () => {
  it('linked: the HIS and the CDR placing one person are one row at the HIS bed, both systems named, no conflict when they agree', async () => {
    const { rows } = await list(
      world([
        { event: stayEvent('cdr', 'p-ouyang', OUYANG, '06'), via: 'fhir' },
        { event: stayEvent('his', 'H0000001', OUYANG, '06'), via: 'hl7v2' },
        { event: stayEvent('his', 'H0000002', CHEN, '07'), via: 'hl7v2' },
      ]),
    );
    expect(rows).toHaveLength(2);
    const ouyang = rows.find((r) => r.name === '欧阳志明')!;
    expect(ouyang.refs.slice(0, 2)).toEqual([
      { sourceId: 'his', sourcePatientId: 'H0000001' },
      { sourceId: 'cdr', sourcePatientId: 'p-ouyang' },
    ]);
    expect(ouyang.placements.map((p) => [p.sourceId, p.bed])).toEqual([
      ['his', '06'],
      ['cdr', '06'],
    ]);
    expect(ouyang.placementConflict).toBe(false);
    expect(ouyang.openQuery).toBe('H0000001');
    expect(rows.find((r) => r.name === '陈秀英')!.placements.map((p) => p.sourceId)).toEqual(['his']);
  });

  it('not linked: two people (different 身份证) stay two rows even on one bed; without a linker every stay is its own row', async () => {
    const events = [
      { event: stayEvent('cdr', 'p-ouyang', OUYANG, '06'), via: 'fhir' as const },
      { event: stayEvent('his', 'H0000002', CHEN, '06'), via: 'hl7v2' as const },
    ];
    const { rows } = await list(world(events));
    expect(rows.map((r) => [r.name, r.placements.length, r.placementConflict])).toEqual([
      ['欧阳志明', 1, false],
      ['陈秀英', 1, false],
    ]);
    const linked = [events[0]!, { event: stayEvent('his', 'H0000001', OUYANG, '06'), via: 'hl7v2' as const }];
    expect((await list(world(linked, {}, null))).rows).toHaveLength(2);
  });

  it('conflicting beds: one row at the HIS bed, each system’s bed kept and the disagreement marked', async () => {
    const { rows } = await list(
      world([
        { event: stayEvent('cdr', 'p-ouyang', OUYANG, '01'), via: 'fhir' },
        { event: stayEvent('his', 'H0000001', OUYANG, '6'), via: 'hl7v2' },
      ]),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ bed: '6', placementConflict: true });
    expect(rows[0]!.placements.map((p) => [p.sourceId, p.bed])).toEqual([
      ['his', '6'],
      ['cdr', '01'],
    ]);
  });

  it('a row counts the new results of every linked record, not only its own system’s', async () => {
    const { rows } = await list(
      world(
        [
          { event: stayEvent('cdr', 'p-ouyang', OUYANG, '06'), via: 'fhir' },
          { event: stayEvent('his', 'H0000001', OUYANG, '06'), via: 'hl7v2' },
        ],
        {
          'his/H0000001': [result('k1', '2026-12-06T08:00:00+08:00', 'H')],
          'cdr/p-ouyang': [result('k2', '2026-12-06T09:00:00+08:00', 'HH'), result('k3', '2026-12-06T10:00:00+08:00', 'N')],
        },
      ),
    );
    expect(rows[0]!.newResults).toEqual({ count: 3, abnormal: 2, critical: 1 });
  });

  it('a record reached by cross-reference (a LIS id on the HIS patient) joins the row’s refs', () => {
    const his = stayEvent('his', 'H0000001', OUYANG, '06');
    const stay: Stay = {
      patient: his.patient,
      status: 'admitted',
      location: his.location!,
      name: OUYANG.name,
      identifiers: his.identifiers!,
      via: 'hl7v2',
    };
    const patient = {
      resource: patientOfStay(stay),
      provenance: { sourceId: 'his', sourceName: 'his', sourceKind: 'hl7v2' as const, nativeId: 'P', fetchedAt: '' },
    };
    const crossLinked: LinkPersonsPort = () => [{ refs: [his.patient, { sourceId: 'lis', sourcePatientId: 'L77' }] }];
    const [person] = groupStays(
      [
        { stay, patient },
        { stay, patient },
      ].slice(0, 1),
      crossLinked,
    );
    // One stay alone is never sent to the linker: its refs are its own.
    expect(person!.refs).toEqual([his.patient]);
    const other: Stay = { ...stay, patient: { sourceId: 'cdr', sourcePatientId: 'p-ouyang' }, via: 'fhir' };
    const both = groupStays(
      [
        { stay, patient },
        { stay: other, patient: { ...patient, resource: patientOfStay(other) } },
      ],
      () => [{ refs: [his.patient, other.patient, { sourceId: 'lis', sourcePatientId: 'L77' }] }],
    );
    expect(both).toHaveLength(1);
    expect(both[0]!.refs).toEqual([his.patient, other.patient, { sourceId: 'lis', sourcePatientId: 'L77' }]);
  });

  it('the census stays of a row’s records are its care context: the rule that listed the row decides its open', () => {
    const w = world([{ event: stayEvent('his', 'H0000001', OUYANG, '06'), via: 'hl7v2' }]);
    expect(w.careContext([{ sourceId: 'his', sourcePatientId: 'H0000001' }])).toEqual([
      expect.objectContaining({
        resourceType: 'Encounter',
        status: 'in-progress',
        location: [{ location: { identifier: { value: 'CARD-1' } } }],
      }),
    ]);
    expect(w.careContext([{ sourceId: 'cdr', sourcePatientId: 'p-ouyang' }])).toEqual([]);
  });
});
