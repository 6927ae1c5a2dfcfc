import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import type { Resource } from '../../../../../src/shared/domain/fhir.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';
import type { Stay } from '../../../../../src/main/services/worklist/census.ts';
import { createCensusKeeper } from '../../../../../src/main/services/worklist/census-keeper.ts';
import { createMemoryLastViewed } from '../../../../../src/main/services/worklist/last-viewed.ts';
import { allergiesOf, createWorklist } from '../../../../../src/main/services/worklist/worklist.ts';

const NOW = Date.parse('2026-12-07T02:00:00Z');
const RESIDENT_ID = '110101199001010011'; // synthetic, not a real person's
const doctor: User = { id: 'u', displayName: 'u', roles: ['ward-doctor'], wards: ['CARD-1'], authMethod: 'local' };

const sourced = (sourceId: string, resource: Resource): SourcedResource => ({
  resource,
  provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: resource.id ?? '', fetchedAt: new Date(NOW).toISOString() },
});
const allergy = (id: string, code: string, extra: Record<string, unknown> = {}): Resource =>
  ({ resourceType: 'AllergyIntolerance', id, code: { coding: [{ system: 'http://snomed.info/sct', code }] }, ...extra }) as Resource;
const PENICILLIN = allergy('a1', '764146007');
const NKA = allergy('a2', '716186003');
const stay = (sourceId: string, allergies?: boolean): Stay => ({
  patient: { sourceId, sourcePatientId: 'P1' },
  status: 'admitted',
  location: { ward: 'CARD-1', bed: '1' },
  via: 'hl7v2',
  ...(allergies !== undefined ? { allergies } : {}),
});

describe('the worklist allergy flag over every system of the person', () => {
  it('an allergy in the CDR wins over the HIS stay saying none (AL1 absent → false), and the disagreement is marked', () => {
    expect(allergiesOf([stay('his', false)], [sourced('cdr', PENICILLIN)])).toEqual({
      allergies: 'yes',
      allergySources: ['cdr'],
      allergyConflict: true,
    });
  });

  it('"no known allergies" recorded by one system is "none"; nothing recorded anywhere is "not recorded"', () => {
    expect(allergiesOf([stay('his')], [sourced('emr', NKA)])).toEqual({ allergies: 'none', allergySources: [], allergyConflict: false });
    expect(allergiesOf([stay('his')], [])).toEqual({ allergies: 'unknown', allergySources: [], allergyConflict: false });
  });

  it('one system holding both an allergy and an NKA entry says "yes" without a conflict with itself', () => {
    expect(allergiesOf([], [sourced('cdr', NKA), sourced('cdr', PENICILLIN)])).toEqual({
      allergies: 'yes',
      allergySources: ['cdr'],
      allergyConflict: false,
    });
  });

  it('refuted, entered-in-error and resolved allergies do not count as allergies', () => {
    const refuted = allergy('r', '764146007', { verificationStatus: { coding: [{ code: 'refuted' }] } });
    const resolved = allergy('s', '764146007', { clinicalStatus: { coding: [{ code: 'resolved' }] } });
    expect(allergiesOf([], [sourced('cdr', refuted), sourced('emr', resolved)]).allergies).toBe('unknown');
  });

  it('a row reads the cached records of a system the census never names, found by the shared 身份证', async () => {
    const census = createCensusKeeper();
    census.accept({
      trigger: 'A01',
      patient: { sourceId: 'his', sourcePatientId: 'H1' },
      name: '测试甲',
      location: { ward: 'CARD-1', bed: '1' },
      identifiers: [{ value: RESIDENT_ID, type: 'NNCHN' }],
      admittedAt: '2026-12-06T10:00:00+08:00',
    });
    const cachedOf: Record<string, SourcedResource[]> = {
      'his/H1': [],
      'cdr/C9': [sourced('cdr', { resourceType: 'Patient', id: 'C9' } as Resource), sourced('cdr', PENICILLIN)],
    };
    const asked: string[][] = [];
    const worklist = createWorklist({
      census,
      lastViewed: createMemoryLastViewed(),
      careWindowDays: 30,
      clock: () => NOW,
      records: {
        cached: async (ref: SourcePatientRef) => cachedOf[`${ref.sourceId}/${ref.sourcePatientId}`] ?? [],
        samePerson: async (patients) => {
          asked.push(patients.flatMap((p) => (p.identifier ?? []).map((i) => i.value ?? '')));
          return [{ sourceId: 'cdr', sourcePatientId: 'C9' }];
        },
      },
    });
    const { rows } = await worklist.list(doctor, { from: 'cache', mask: (c) => c });
    expect(asked).toEqual([[RESIDENT_ID]]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ allergies: 'yes', allergySources: ['cdr'] });
    expect(rows[0]!.allergyConflict).toBeUndefined();
  });
});

describe('the worklist when the census sources fail', () => {
  it('keeps the last census, with when each failed source last gave it; names who answered', async () => {
    let clock = NOW;
    let cdrUp = true;
    const census = createCensusKeeper();
    const worklist = createWorklist({
      census,
      lastViewed: createMemoryLastViewed(),
      careWindowDays: 30,
      clock: () => clock,
      records: { cached: async () => [] },
      censusQuery: async () =>
        cdrUp
          ? {
              events: [
                {
                  event: {
                    trigger: 'A01',
                    patient: { sourceId: 'cdr', sourcePatientId: 'C1' },
                    name: '测试乙',
                    location: { ward: 'CARD-1', bed: '3' },
                    admittedAt: '2026-12-06T10:00:00+08:00',
                  },
                  via: 'fhir',
                },
              ],
              answeredBy: ['cdr'],
              failures: [],
            }
          : { events: [], answeredBy: [], failures: [{ sourceId: 'cdr', code: 'timeout', detail: 'no answer in 20 s' }] },
    });
    const live = () => worklist.list(doctor, { from: 'systems', mask: (c) => c });
    const first = await live();
    expect(first.censusAnsweredBy).toEqual(['cdr']);
    expect(first.censusFailures).toBeUndefined();
    cdrUp = false;
    clock = NOW + 3_600_000;
    const down = await live();
    // The stay stays as the census last had it: a failed source ends nobody's stay.
    expect(down.rows.map((r) => r.bed)).toEqual(['3']);
    expect(down.censusAnsweredBy).toEqual([]);
    expect(down.censusFailures).toEqual([{ sourceId: 'cdr', code: 'timeout', lastAnsweredAt: new Date(NOW).toISOString() }]);
  });

  it('a census source that never answered has no time: its empty list is unread, not "no inpatients"', async () => {
    const worklist = createWorklist({
      census: createCensusKeeper(),
      lastViewed: createMemoryLastViewed(),
      careWindowDays: 30,
      clock: () => NOW,
      records: { cached: async () => [] },
      censusQuery: async () => ({ events: [], answeredBy: [], failures: [{ sourceId: 'cdr', code: 'timeout', detail: 'hung' }] }),
    });
    const down = await worklist.list(doctor, { from: 'systems', mask: (c) => c });
    expect(down.rows).toEqual([]);
    expect(down.censusAnsweredBy).toEqual([]);
    expect(down.censusFailures).toEqual([{ sourceId: 'cdr', code: 'timeout' }]);
  });
});
