import { describe, expect, it } from 'vitest';
import { catalogs, interpolate, LOCALES, translate } from '../../../../src/renderer/i18n/catalogs.ts';
import { TIMELINE_KINDS } from '../../../../src/renderer/features/timeline/timeline-model.ts';
import { SourceStateSchema } from '../../../../src/shared/domain/source.ts';
import { LinkOutcomeSchema } from '../../../../src/shared/domain/patient.ts';
import { TimelineKindSchema } from '../../../../src/shared/domain/timeline.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  const zh = catalogs['zh-CN'];
  it('zh-CN is the default and every catalog has the same keys, non-empty', () => {
    expect(LOCALES[0]).toBe('zh-CN');
    for (const locale of LOCALES) {
      expect(Object.keys(catalogs[locale]).sort()).toEqual(Object.keys(zh).sort());
      for (const value of Object.values(catalogs[locale])) expect(value.trim()).not.toBe('');
    }
  });
  it('uses the same placeholders in every catalog', () => {
    for (const locale of LOCALES) {
      for (const [key, value] of Object.entries(catalogs[locale])) {
        expect([locale, key, placeholders(value)]).toEqual([locale, key, placeholders(zh[key as keyof typeof zh])]);
      }
    }
  });
  it('writes English without Chinese words, and Chinese with no English but standards’ names and units', () => {
    const cjk = /[\u4e00-\u9fff]/;
    expect(Object.entries(catalogs.en).filter(([, v]) => cjk.test(v))).toEqual([]);
    // What a Chinese clinician reads as written: standards, protocols, file formats, units, lab abbreviations, DICOM's own
    // names, and the configuration's key an administrator types.
    const asWritten = new Set(
      (
        'FHIR HL7 v2 v3 P50 P95 MLLP WebService CDA DICOMweb DICOM PACS LOINC SNOMED ICD UCUM HTTP CSV XML PDF HTML PIX MPI AMQP Linux basic_text MAC ' +
        'mmHg SpO ms kg cm mmol ID GB mappings ACEI eGFR INR Enter PageUp PageDown PgUp PgDn Home End Alt Esc Study Instance UID Accession Number huizhen sources check'
      ).split(' '),
    );
    const leftovers = Object.entries(zh).flatMap(([key, value]) =>
      (value.replace(/\{\w+\}/g, '').match(/[A-Za-z][A-Za-z0-9_]+/g) ?? []).filter((w) => !asWritten.has(w)).map((w) => `${key}: ${w}`),
    );
    expect(leftovers).toEqual([]);
  });
  it('has a label for every enum value built into keys at run time', () => {
    const keys = new Set(Object.keys(zh));
    for (const k of TimelineKindSchema.options) {
      expect(keys.has(`kind.${k}`)).toBe(true);
      expect(keys.has(`kindShort.${k}`)).toBe(true);
    }
    expect([...TIMELINE_KINDS].sort()).toEqual([...TimelineKindSchema.options].sort());
    for (const s of SourceStateSchema.options) expect(keys.has(`sources.state.${s}`)).toBe(true);
    for (const o of LinkOutcomeSchema.options) expect(keys.has(`link.${o}`)).toBe(true);
    for (const g of ['male', 'female', 'other', 'unknown']) expect(keys.has(`gender.${g}`)).toBe(true);
    for (const u of ['years', 'months', 'days']) expect(keys.has(`age.${u}`)).toBe(true);
    for (const f of ['H', 'L', 'A']) expect(keys.has(`timeline.flag.${f}`)).toBe(true);
  });
  it('words FHIR status codes in the UI language and leaves an unknown code as sent', async () => {
    const { fhirStatusLabel } = await import('../../../../src/renderer/i18n/fhir-status.ts');
    const zhT = (key: Parameters<typeof translate>[1]) => translate('zh-CN', key);
    const enT = (key: Parameters<typeof translate>[1]) => translate('en', key);
    expect(fhirStatusLabel(zhT, 'final')).toBe('最终');
    expect(fhirStatusLabel(zhT, 'entered-in-error')).toBe('录入错误');
    expect(fhirStatusLabel(enT, 'in-progress')).toBe('In progress');
    expect(fhirStatusLabel(zhT, 'x-vendor-status')).toBe('x-vendor-status');
  });
  it('interpolates and leaves unknown placeholders visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(translate('zh-CN', 'age.years', { n: 45 })).toBe('45岁');
    expect(translate('en', 'age.years', { n: 45 })).toBe('45 y');
  });
});
