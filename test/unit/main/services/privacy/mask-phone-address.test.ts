import { describe, expect, it } from 'vitest';
import { maskAddress, maskAddressText } from '../../../../../src/main/services/privacy/mask-address.ts';
import { maskContactPoint, maskEmail, maskPhone } from '../../../../../src/main/services/privacy/mask-phone.ts';

describe('phones', () => {
  it('keeps the last four digits', () => {
    expect(maskPhone('13812345678')).toBe('*******5678');
  });

  it('keeps the formatting', () => {
    expect(maskPhone('+86 138-1234-5678')).toBe('+** ***-****-5678');
    expect(maskPhone('010-65123456')).toBe('***-****3456');
  });

  it('hides short numbers entirely and tolerates missing values', () => {
    expect(maskPhone('120')).toBe('***');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(undefined)).toBe('');
  });

  it('masks e-mail and other contact points by kind', () => {
    expect(maskEmail('zhangwei@example.cn')).toBe('z*******@example.cn');
    expect(maskContactPoint({ system: 'email', value: 'zw@example.cn' })).toEqual({ system: 'email', value: 'z*@example.cn' });
    expect(maskContactPoint({ system: 'phone', value: '13811112222', use: 'mobile' })).toEqual({
      system: 'phone',
      value: '*******2222',
      use: 'mobile',
    });
  });
});

describe('addresses', () => {
  it('keeps province and city', () => {
    expect(maskAddressText('广东省广州市天河区体育西路1号')).toBe('广东省广州市******');
    expect(maskAddressText('新疆维吾尔自治区乌鲁木齐市天山区')).toBe('新疆维吾尔自治区乌鲁木齐市******');
  });

  it('keeps a municipality and its district', () => {
    expect(maskAddressText('北京市东城区东华门大街1号')).toBe('北京市东城区******');
    expect(maskAddressText('上海市徐汇区')).toBe('上海市徐汇区******');
  });

  it('keeps nothing of an address it cannot parse', () => {
    expect(maskAddressText('221B Baker Street, London')).toBe('******');
    expect(maskAddressText('')).toBe('');
    expect(maskAddressText(undefined)).toBe('');
  });

  it('masks a FHIR Address field by field', () => {
    const address = {
      use: 'home' as const,
      text: '北京市东城区东华门大街1号',
      line: ['东华门大街1号'],
      city: '北京市',
      district: '东城区',
      postalCode: '100006',
      country: 'CN',
    };
    expect(maskAddress(address)).toEqual({
      use: 'home',
      text: '北京市东城区******',
      line: ['******'],
      city: '北京市',
      district: '东城区',
      postalCode: '******',
      country: 'CN',
    });
    expect(maskAddress({ state: '广东省', city: '广州市', district: '天河区', line: ['体育西路1号'] })).toEqual({
      state: '广东省',
      city: '广州市',
      district: '******',
      line: ['******'],
      text: '广东省广州市******',
    });
  });
});
