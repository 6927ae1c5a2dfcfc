import { describe, expect, it } from 'vitest';
import { PrivacyConfigSchema } from '../../../../../src/shared/config/privacy.ts';
import { maskChineseName, maskHumanName, maskLatinName, maskPersonName } from '../../../../../src/main/services/privacy/mask-name.ts';

describe('Chinese names', () => {
  it('keeps the surname and the last character of a two-character given name', () => {
    expect(maskChineseName('张三')).toBe('张*');
    expect(maskChineseName('张伟')).toBe('张*');
    expect(maskChineseName('张三丰')).toBe('张*丰');
    expect(maskChineseName('李小龙龙')).toBe('李**龙');
  });

  it('keeps a compound surname whole', () => {
    expect(maskChineseName('欧阳娜娜')).toBe('欧阳*娜');
    expect(maskChineseName('诸葛亮')).toBe('诸葛*');
    expect(maskChineseName('司马相如')).toBe('司马*如');
  });

  it('a two-character name starting like a compound surname is surname + given name', () => {
    expect(maskChineseName('欧阳')).toBe('欧*');
  });

  it('hides the whole given name when configured', () => {
    const options = PrivacyConfigSchema.parse({ nameKeepGivenLast: false });
    expect(maskChineseName('张三丰', options)).toBe('张**');
    expect(maskChineseName('欧阳娜娜', options)).toBe('欧阳**');
  });

  it('masks a single-character name entirely', () => {
    expect(maskChineseName('伟')).toBe('*');
  });

  it('masks minority names written with a middle dot', () => {
    expect(maskChineseName('阿依古丽·买买提')).toBe('阿***·***');
  });

  it('uses the configured mask character', () => {
    expect(maskChineseName('张三丰', PrivacyConfigSchema.parse({ maskChar: '○' }))).toBe('张○丰');
  });
});

describe('Latin names', () => {
  it('keeps the first letter of each part and the separators', () => {
    expect(maskLatinName('Zhang Wei')).toBe('Z**** W**');
    expect(maskLatinName('Zhang^Wei')).toBe('Z****^W**');
    expect(maskLatinName("Mary-Jane O'Neil")).toBe("M***-J*** O'N***");
  });

  it('leaves initials alone', () => {
    expect(maskLatinName('J. Smith')).toBe('J. S****');
  });
});

describe('maskPersonName', () => {
  it('chooses the rule by script', () => {
    expect(maskPersonName('张伟')).toBe('张*');
    expect(maskPersonName('Zhang Wei')).toBe('Z**** W**');
    expect(maskPersonName('张^伟')).toBe('张*');
  });

  it('returns empty text for empty or missing names', () => {
    expect(maskPersonName('')).toBe('');
    expect(maskPersonName('   ')).toBe('');
    expect(maskPersonName(undefined)).toBe('');
  });
});

describe('maskHumanName', () => {
  it('masks text, family and given consistently and never mutates the input', () => {
    const name = { use: 'official' as const, text: '张三丰', family: '张', given: ['三丰'], suffix: ['Jr'] };
    const copy = structuredClone(name);
    expect(maskHumanName(name)).toEqual({ use: 'official', text: '张*丰', family: '张', given: ['*丰'] });
    expect(name).toEqual(copy);
  });

  it('masks Latin parts', () => {
    expect(maskHumanName({ text: 'Zhang Wei', family: 'Zhang', given: ['Wei'] })).toEqual({
      text: 'Z**** W**',
      family: 'Z****',
      given: ['W**'],
    });
  });
});
