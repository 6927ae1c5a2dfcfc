import { describe, expect, it } from 'vitest';
import { catalogs, interpolate, LOCALES, type MessageKey } from '../../../../src/renderer/i18n/catalogs.ts';
import { identifierTypeText } from '../../../../src/renderer/patient/patient-text.ts';
import { IDENTIFIER_TYPE_CODES } from '../../../../src/shared/domain/identifier-types.ts';
import type { Formatter } from '../../../../src/renderer/i18n/format.ts';

const i18n = (locale: (typeof LOCALES)[number]) => ({
  t: (key: MessageKey, params?: Record<string, string | number>) => interpolate(catalogs[locale][key], params),
  fmt: {} as Formatter,
});
const nameOf = (sourceId: string) => ({ his: 'HIS（院内）', lis: 'LIS' })[sourceId] ?? sourceId;

describe('identifierTypeText: an identifier type in the UI’s language', () => {
  it('words every known type code in zh-CN and en, the source’s label notwithstanding', () => {
    for (const locale of LOCALES)
      for (const typeCode of IDENTIFIER_TYPE_CODES) {
        const text = identifierTypeText(i18n(locale), { typeCode, label: '病案号', value: '1', sourceId: 'his' }, nameOf);
        expect(text.sourceWording, `${locale} ${typeCode}`).toBeUndefined();
        expect(text.text, `${locale} ${typeCode}`).not.toBe('');
        if (locale === 'en') expect(text.text, typeCode).not.toMatch(/\p{Script=Han}/u);
      }
    expect(identifierTypeText(i18n('en'), { typeCode: 'MR', label: '病案号', value: '1', sourceId: 'his' }, nameOf).text).toBe(
      'Medical record no.',
    );
    expect(identifierTypeText(i18n('zh-CN'), { typeCode: 'cn-inpatient-no', value: '1', sourceId: 'his' }, nameOf).text).toBe('住院号');
    expect(identifierTypeText(i18n('en'), { typeCode: 'NNCHN', value: '1', sourceId: 'his' }, nameOf).text).toBe('Resident ID card');
  });

  it('keeps an unknown local label as the source wrote it, marked as that source’s own wording', () => {
    const local = { label: '住院流水号', value: 'ZY1', sourceId: 'his' };
    expect(identifierTypeText(i18n('en'), local, nameOf)).toEqual({ text: '住院流水号', sourceWording: { source: 'HIS（院内）' } });
    expect(interpolate(catalogs.en['idType.sourceWording'], { source: 'HIS' })).toBe("HIS's own term, not translated");
  });

  it('names an identifier without type or label by its naming system, else by its source', () => {
    expect(identifierTypeText(i18n('en'), { system: 'urn:lis:mrn', value: 'L1', sourceId: 'lis' }, nameOf)).toEqual({
      text: 'urn:lis:mrn',
    });
    expect(identifierTypeText(i18n('en'), { value: 'L1', sourceId: 'lis' }, nameOf)).toEqual({ text: 'LIS' });
  });
});
