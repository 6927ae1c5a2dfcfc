import { describe, expect, it } from 'vitest';
import { splitChineseName } from '../../../../src/shared/domain/chinese-surname.ts';
import { chineseSurnameOf } from '../../../../src/main/services/privacy/mask-name.ts';
import { splitHanName } from '../../../../src/adapters/hl7v2/patient-text-query.ts';

describe('one rule for Chinese surnames, wherever a name is split', () => {
  it('keeps a 复姓 whole when the name is longer than it, else splits after the first character', () => {
    expect(splitChineseName('欧阳娜娜')).toEqual({ family: '欧阳', given: '娜娜' });
    expect(splitChineseName('第五伦')).toEqual({ family: '第五', given: '伦' });
    expect(splitChineseName('欧阳')).toEqual({ family: '欧', given: '阳' });
    expect(splitChineseName('张伟')).toEqual({ family: '张', given: '伟' });
    expect(splitChineseName('𠮷野家')).toEqual({ family: '𠮷', given: '野家' });
  });

  it('identity matching, HIS queries and masking agree', () => {
    for (const name of ['欧阳娜娜', '司空摘星', '拓跋宏', '太史慈', '张三丰']) {
      const { family } = splitChineseName(name);
      expect(chineseSurnameOf(name)).toBe(family);
      expect(splitHanName(name).family).toBe(family);
    }
  });
});
