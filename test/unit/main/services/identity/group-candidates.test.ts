import { describe, expect, it } from 'vitest';
import { groupCandidates } from '../../../../../src/main/services/identity/group-candidates.ts';
import {
  createInMemoryLinkDecisionStore,
  createLinkDecisions,
  type LinkAuditEvent,
} from '../../../../../src/main/services/identity/link-decisions.ts';
import { formatHumanName } from '../../../../../src/main/services/identity/patient-names.ts';
import { PatientCandidateSchema } from '../../../../../src/shared/domain/patient.ts';
import { found, mrn, patient, residentId } from './patient-fixtures.ts';

const nationalId = (value: string) => ({ system: 'urn:oid:2.16.156.10011.1.3', value, type: { coding: [{ code: 'NI' }], text: '身份证' } });

describe('groupCandidates', () => {
  it("links two systems' records of 张伟 that share a national ID and says why", () => {
    const candidates = groupCandidates([
      found('cdr', {
        resourceType: 'Patient',
        id: 'a',
        name: [{ family: '张', given: ['伟'] }],
        identifier: [nationalId('11010119680312001X'), mrn('cdr', 'CDR-1')],
      }),
      found('his', {
        resourceType: 'Patient',
        id: 'b',
        name: [{ family: 'Zhang', given: ['Wei'] }],
        identifier: [nationalId('11010119680312001X'), mrn('his', 'H9')],
      }),
    ]);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({
      displayName: '张伟',
      otherNames: ['Wei Zhang'],
      refs: [
        { sourceId: 'cdr', sourcePatientId: 'a' },
        { sourceId: 'his', sourcePatientId: 'b' },
      ],
      link: { outcome: 'linked' },
    });
    expect(candidates[0]!.link.reasons[0]).toMatchObject({
      code: 'pair',
      verdict: { code: 'verdict-identifier', outcome: 'linked', link: { kind: 'resident-id', value: '11010119680312001X' } },
    });
    expect(candidates[0]!.identifiers.map((i) => i.value)).toEqual(['11010119680312001X', 'CDR-1', '11010119680312001X', 'H9']);
    // The 身份证 is typed from its OID for the renderer to word; the source's own label travels beside it.
    expect(candidates[0]!.identifiers[0]).toMatchObject({ typeCode: 'NNCHN', label: '身份证' });
  });

  it('links 张伟 across systems on demographics alone, with a score and reasons', () => {
    const candidates = groupCandidates([
      found('cdr', patient({ id: 'a', han: '张伟', gender: 'male', birthDate: '1968-03-12' })),
      found('his', patient({ id: 'b', latin: 'ZHANG Wei', gender: 'male', birthDate: '1968-03-12' })),
      found('lis', patient({ id: 'c', han: '张伟', gender: 'male', birthDate: '1990-07-01' })),
    ]);
    expect(candidates.map((c) => [c.refs.map((r) => r.sourceId), c.link.outcome])).toEqual([
      [['cdr', 'his'], 'linked'],
      [['lis'], 'single'],
    ]);
    expect(candidates[0]!.link.score).toBe(27.6);
    // The reasons are data that crosses the API as the shared schema describes it.
    expect(PatientCandidateSchema.parse(candidates[0])).toEqual(candidates[0]);
    expect(candidates[0]!.link.reasons[0]).toMatchObject({
      code: 'pair',
      evidence: expect.arrayContaining([{ code: 'birth-date-exact', weight: expect.closeTo(12.2, 1), date: '1968-03-12' }]),
    });
  });

  it('never links on a system-local MRN alone, even when the values coincide', () => {
    const candidates = groupCandidates([
      found('cdr', { resourceType: 'Patient', id: 'a', identifier: [mrn('x', '1001')] }),
      found('his', { resourceType: 'Patient', id: 'b', identifier: [mrn('x', '1001')] }),
    ]);
    expect(candidates.map((c) => c.link.outcome)).toEqual(['single', 'single']);
  });

  it('drops a patient without an id, which could not be opened', () => {
    expect(groupCandidates([found('cdr', { resourceType: 'Patient' })])).toEqual([]);
  });

  it('gives the same candidate key for the same set of records, whatever their order', () => {
    const a = found('cdr', patient({ id: 'a', han: '张伟', gender: 'male', birthDate: '1968-03-12' }));
    const b = found('his', patient({ id: 'b', latin: 'Wei Zhang', gender: 'male', birthDate: '1968-03-12' }));
    expect(groupCandidates([a, b])[0]!.key).toBe(groupCandidates([b, a])[0]!.key);
    expect(groupCandidates([a])[0]!.key).not.toBe(groupCandidates([a, b])[0]!.key);
  });

  it('marks a group possible when two members match only through a third record', () => {
    const candidates = groupCandidates([
      found('cdr', patient({ id: 'a', han: '张伟', gender: 'male', birthDate: '1968-03-12' })),
      found('his', patient({ id: 'b', latin: 'Wei Zhang', gender: 'male', birthDate: '1968-03-12' })),
      found('lis', patient({ id: 'c', han: '章伟', gender: 'male', birthDate: '1968-03-12' })),
    ]);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]!.link.outcome).toBe('possible');
    expect(candidates[0]!.link.reasons[0]).toEqual({
      code: 'indirect',
      a: { sourceId: 'cdr', sourcePatientId: 'a' },
      b: { sourceId: 'lis', sourcePatientId: 'c' },
    });
  });
});

describe('user decisions', () => {
  const twinA = found('cdr', patient({ id: 'a', han: '王建军', gender: 'male', birthDate: '2001-05-06', phone: '13900001111' }));
  const twinB = found('his', patient({ id: 'b', han: '王建国', gender: 'male', birthDate: '2001-05-06', phone: '13900001111' }));
  const same1 = found('cdr', patient({ id: 'c', han: '李娜', gender: 'female', birthDate: '1990-01-01' }));
  const same2 = found(
    'his',
    patient({ id: 'd', latin: 'Na Li', gender: 'female', birthDate: '1990-01-01', identifiers: [residentId('110101199001010023')] }),
  );

  function setup() {
    const events: LinkAuditEvent[] = [];
    const store = createInMemoryLinkDecisionStore();
    const decisions = createLinkDecisions({ store, audit: (e) => events.push(e), now: () => new Date('2026-02-03T04:05:06Z') });
    return { events, store, decisions };
  }

  it('a confirmed link overrides the matcher, is remembered and audited', () => {
    const { events, store, decisions } = setup();
    expect(groupCandidates([twinA, twinB], { decisions: store })).toHaveLength(2);
    decisions.confirm({ sourceId: 'cdr', sourcePatientId: 'a' }, { sourceId: 'his', sourcePatientId: 'b' }, 'dr.li', {
      note: 'same person, name changed',
      matcher: { outcome: 'not-linked', score: 13.7 },
    });
    const [one] = groupCandidates([twinB, twinA], { decisions: store });
    expect(one!.link.outcome).toBe('linked');
    expect(one!.link.reasons[0]).toMatchObject({
      code: 'pair',
      decision: { verdict: 'confirmed', decidedBy: 'dr.li', decidedAt: '2026-02-03T04:05:06.000Z', note: 'same person, name changed' },
      verdict: { outcome: 'not-linked' },
      evidence: [],
    });
    expect(events).toEqual([
      {
        action: 'link-confirm',
        a: { sourceId: 'cdr', sourcePatientId: 'a' },
        b: { sourceId: 'his', sourcePatientId: 'b' },
        by: 'dr.li',
        at: '2026-02-03T04:05:06.000Z',
        note: 'same person, name changed',
        matcher: { outcome: 'not-linked', score: 13.7 },
      },
    ]);
  });

  it('an unlink overrides even a deterministic link and blocks a chain through a third record', () => {
    const { events, store, decisions } = setup();
    const same3 = found(
      'lis',
      patient({ id: 'e', han: '李娜', gender: 'female', birthDate: '1990-01-01', identifiers: [residentId('110101199001010023')] }),
    );
    expect(groupCandidates([same1, same2, same3], { decisions: store })).toHaveLength(1);
    decisions.unlink({ sourceId: 'his', sourcePatientId: 'd' }, { sourceId: 'lis', sourcePatientId: 'e' }, 'dr.wang');
    const groups = groupCandidates([same1, same2, same3], { decisions: store });
    expect(groups.map((g) => g.refs.map((r) => r.sourcePatientId))).toEqual([['c', 'd'], ['e']]);
    expect(events.map((e) => e.action)).toEqual(['unlink']);
    expect(store.get({ sourceId: 'lis', sourcePatientId: 'e' }, { sourceId: 'his', sourcePatientId: 'd' })?.verdict).toBe('unlinked');
  });

  it('rejects a decision about a record and itself, and malformed stored decisions', () => {
    const { decisions, store } = setup();
    expect(() => decisions.confirm({ sourceId: 'cdr', sourcePatientId: 'a' }, { sourceId: 'cdr', sourcePatientId: 'a' }, 'x')).toThrow(
      RangeError,
    );
    expect(() =>
      store.put({
        a: { sourceId: '', sourcePatientId: 'a' },
        b: { sourceId: 'x', sourcePatientId: 'b' },
        verdict: 'confirmed',
        decidedBy: 'x',
        decidedAt: 'now',
      }),
    ).toThrow();
  });
});

describe('formatHumanName', () => {
  it('writes Chinese names family-first without a space and Western names given-first', () => {
    expect(formatHumanName({ family: '欧阳', given: ['娜娜'] })).toBe('欧阳娜娜');
    expect(formatHumanName({ family: 'Smith', given: ['Mary', 'Ann'] })).toBe('Mary Ann Smith');
    expect(formatHumanName({ text: ' 李雷 ' })).toBe('李雷');
    expect(formatHumanName({})).toBeUndefined();
  });
});
