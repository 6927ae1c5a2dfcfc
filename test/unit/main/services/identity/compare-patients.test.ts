import { describe, expect, it } from 'vitest';
import { comparePatients, verdictReason } from '../../../../../src/main/services/identity/compare-patients.ts';
import { extractFeatures } from '../../../../../src/main/services/identity/patient-features.ts';
import { insurance, mpi, mrn, passport, patient, residentId, type PersonSpec } from './patient-fixtures.ts';

const compare = (a: PersonSpec, b: PersonSpec) => comparePatients(extractFeatures(patient(a)), extractFeatures(patient(b)));
const zhangWei: PersonSpec = { han: '张伟', gender: 'male', birthDate: '1968-03-12' };

describe('deterministic links', () => {
  it('links on a valid 身份证, a legacy 15-digit form of it, insurance, MPI and passport numbers', () => {
    const id = (identifiers: PersonSpec['identifiers']) => ({ latin: 'Someone Else', identifiers });
    expect(compare(id([residentId('11010119680312001X')]), id([residentId('110101680312001')])).deterministic).toEqual({
      kind: 'resident-id',
      value: '11010119680312001X',
    });
    expect(compare(id([insurance('YB1')]), id([insurance('yb 1')])).deterministic?.kind).toBe('insurance');
    expect(compare(id([mpi('E-9')]), id([mpi('E-9')])).deterministic?.kind).toBe('mpi');
    expect(compare(id([passport('E123')]), id([passport('E123')])).deterministic?.kind).toBe('passport');
    expect(compare(id([mpi('E-9')]), id([mpi('E-9')])).outcome).toBe('linked');
  });

  it('does not link on an invalid 身份证 and never on a system-local MRN alone', () => {
    const invalid = compare({ identifiers: [residentId('110101196803120014')] }, { identifiers: [residentId('110101196803120014')] });
    expect(invalid.deterministic).toBeUndefined();
    expect(invalid.outcome).toBe('not-linked');
    expect(invalid.evidence.map((e) => e.reason)).toContainEqual(
      expect.objectContaining({ code: 'resident-id-invalid', problem: 'check-digit' }),
    );
    expect(compare({ identifiers: [mrn('his', '1001')] }, { identifiers: [mrn('his', '1001')] }).outcome).toBe('not-linked');
  });

  it("links through a PIX cross-reference that lists both systems' MRNs", () => {
    const pix = { identifiers: [mrn('his', 'H9'), mrn('lis', 'L7')] };
    const c = compare(pix, { latin: 'Wei Zhang', identifiers: [mrn('lis', 'L7')] });
    expect(c.outcome).toBe('linked');
    expect(c.deterministic).toMatchObject({ kind: 'cross-reference', value: 'L7' });
  });

  it("trusts a shared 身份证 less when it contradicts the record's birth date or sex, and says why", () => {
    const c = compare(
      { han: '李娜', gender: 'female', birthDate: '1990-01-01', identifiers: [residentId('11010119680312001X')] },
      { han: '王芳', gender: 'female', identifiers: [residentId('11010119680312001X')] },
    );
    expect(c.deterministic).toBeUndefined();
    expect(c.outcome).toBe('not-linked');
    expect(c.evidence[0]!.reason).toMatchObject({
      code: 'resident-id-doubtful',
      doubts: [
        { record: 'first', field: 'birth-date', encoded: '1968-03-12', recorded: '1990-01-01' },
        { record: 'first', field: 'sex', encoded: 'male', recorded: 'female' },
        { record: 'second', field: 'sex', encoded: 'male', recorded: 'female' },
      ],
    });
  });

  it('counts two different valid 身份证 as strong evidence against a link', () => {
    const c = compare(
      { ...zhangWei, identifiers: [residentId('11010119680312001X')] },
      { ...zhangWei, identifiers: [residentId('110101196803120036')] },
    );
    expect(c.conflict).toMatchObject({ code: 'resident-id-conflict', a: '11010119680312001X', b: '110101196803120036' });
    expect(c.outcome).not.toBe('linked');
  });
});

describe('probabilistic matching', () => {
  it('links 汉字 and pinyin spellings of the same person with the same birth date', () => {
    const c = compare(zhangWei, { latin: 'Wei ZHANG', gender: 'male', birthDate: '1968-03-12' });
    expect(c.outcome).toBe('linked');
    expect(c.score).toBeCloseTo(27.6, 1);
  });

  it.each<[string, PersonSpec]>([
    ['a typo in a romanised name, with a phone', { latin: 'Zhnag Wei', gender: 'male', birthDate: '1968-03-12', phone: '13811112222' }],
    ['a Cantonese romanisation of the surname', { names: [{ family: 'Cheung', given: ['Wei'] }], gender: 'male', birthDate: '1968-03-12' }],
    ['given and family names swapped', { names: [{ family: 'Wei', given: ['Zhang'] }], gender: 'male', birthDate: '1968-03-12' }],
    ['day and month swapped, with a phone', { han: '张伟', gender: 'male', birthDate: '1968-12-03', phone: '+86 138-1111-2222' }],
    [
      'one birth-date digit off, with an address',
      { han: '张伟', gender: 'male', birthDate: '1968-03-13', address: '北京朝阳区建国路88号' },
    ],
    ['missing birth date, with a phone', { han: '张伟', gender: 'male', phone: '0086 13811112222' }],
    ['missing sex', { han: '张伟', birthDate: '1968-03-12' }],
  ])('links despite %s', (_, other) => {
    const c = compare({ ...zhangWei, phone: '138 1111 2222', address: '北京市朝阳区建国路88号' }, other);
    expect(c.outcome, JSON.stringify(c.evidence)).toBe('linked');
  });

  it('asks for confirmation when only the birth date has a typo', () => {
    expect(compare(zhangWei, { ...zhangWei, birthDate: '1968-12-03' }).outcome).toBe('possible');
  });

  it('leaves homophones (same pinyin, different 汉字) possible, never linked', () => {
    const c = compare({ ...zhangWei, phone: '13811112222' }, { ...zhangWei, han: '张威', phone: '13811112222' });
    expect(c.outcome).toBe('possible');
    expect(c.notes[0]).toEqual({ code: 'homophone-names' });
    expect(compare(zhangWei, { ...zhangWei, han: '章伟' }).outcome).toBe('possible');
  });

  it('keeps twins apart: same birth date, address and phone, different given names', () => {
    const household = { gender: 'male' as const, birthDate: '2001-05-06', phone: '13900001111', address: '上海市徐汇区中山路5号' };
    const c = compare({ ...household, han: '王建军' }, { ...household, han: '王建国' });
    expect(c.outcome).toBe('not-linked');
    expect(c.evidence.map((e) => e.reason)).toContainEqual({ code: 'phone-household', weight: 0 });
    expect(compare({ ...household, latin: 'Jianjun Wang' }, { ...household, latin: 'Jianguo Wang' }).outcome).toBe('not-linked');
  });

  it('keeps people with a very common name and different birth dates apart', () => {
    for (const [name, sex] of [
      ['张伟', 'male'],
      ['王芳', 'female'],
      ['李娜', 'female'],
    ] as const) {
      expect(
        compare(
          { han: name, gender: sex, birthDate: '1980-02-14' },
          { han: name, gender: sex, birthDate: '1975-09-30', address: '北京市朝阳区' },
        ).outcome,
      ).toBe('not-linked');
    }
  });

  it('explains every outcome as data: the decision, the score and each field with its weight', () => {
    const c = compare(zhangWei, { latin: 'Zhang Wei', gender: 'male', birthDate: '1968-12-03' });
    expect(verdictReason(c)).toEqual({ code: 'verdict-score', outcome: 'possible', score: c.score, linkedFrom: 22, possibleFrom: 16 });
    expect(c.score).toBeCloseTo(19.3, 1);
    const reasons = c.evidence.map((e) => e.reason);
    expect(reasons).toContainEqual({
      code: 'birth-date-typo',
      weight: expect.closeTo(5, 1),
      a: '1968-03-12',
      b: '1968-12-03',
      how: 'day-month-swapped',
    });
    expect(reasons).toContainEqual({ code: 'sex-same', weight: expect.closeTo(1, 1), sex: 'male' });
    expect(reasons).toContainEqual(expect.objectContaining({ code: 'name', a: '张伟', b: 'Zhang Wei', transposed: true }));
    expect(c.evidence.every((e) => e.weight === e.reason.weight)).toBe(true);
  });
});
