import { describe, expect, it } from 'vitest';
import {
  codedFacts,
  codedSummary,
  encounterClassLabel,
  encounterKindText,
  fhirStatusLabel,
} from '../../../../src/renderer/i18n/fhir-status.ts';
import { translate, type Locale, type MessageKey } from '../../../../src/renderer/i18n/catalogs.ts';
import type { TimelineEntry } from '../../../../src/shared/domain/timeline.ts';

const tOf = (locale: Locale) => (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);

/** Every status code of the value sets the timeline shows (R4): none may reach the screen as the code itself. */
const STATUS_CODES = [
  // DocumentReference.status, .docStatus
  ...['current', 'superseded', 'entered-in-error', 'preliminary', 'final', 'amended'],
  // Encounter.status
  ...['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'unknown'],
  // MedicationRequest / MedicationStatement
  ...['active', 'on-hold', 'completed', 'stopped', 'draft', 'intended', 'not-taken'],
  // Condition clinical / verification, AllergyIntolerance verification
  ...['recurrence', 'relapse', 'inactive', 'remission', 'resolved', 'unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted'],
  // Observation, DiagnosticReport, ImagingStudy, Procedure
  ...['registered', 'corrected', 'appended', 'partial', 'available', 'preparation', 'not-done'],
];

const entry = (resource: Record<string, unknown>, summary?: string): TimelineEntry => ({
  id: 'e',
  kind: 'other',
  title: 't',
  codes: [],
  ...(summary ? { summary } : {}),
  provenance: [{ sourceId: 's', sourceName: 's', sourceKind: 'fhir', nativeId: 'n', fetchedAt: '2024-01-01T00:00:00Z' }],
  resource: resource as unknown as TimelineEntry['resource'],
});

describe('FHIR codes in the clinician’s language', () => {
  it.each(['zh-CN', 'en'] as const)('%s words every status code, none shown as the code itself', (locale) => {
    for (const code of STATUS_CODES) {
      const label = fhirStatusLabel(tOf(locale), code);
      expect(label, code).not.toBe(code);
      if (locale === 'zh-CN') expect(label, code).not.toMatch(/[a-z]/);
    }
    expect(fhirStatusLabel(tOf('en'), 'current')).toBe('Current version');
    // A display sent capitalised is the same code.
    expect(fhirStatusLabel(tOf('zh-CN'), 'Active')).toBe(fhirStatusLabel(tOf('zh-CN'), 'active'));
  });

  it('an encounter’s class from its code or from the v3 display some systems send', () => {
    expect(encounterClassLabel(tOf('zh-CN'), { code: 'AMB' })).toBe('门诊');
    expect(encounterClassLabel(tOf('en'), { display: 'ambulatory' })).toBe('Outpatient');
    expect(encounterClassLabel(tOf('en'), { code: 'XYZ', display: '特需门诊' })).toBe('特需门诊');
  });

  it.each(['zh-CN', 'en'] as const)('%s words every v3 ActCode encounter class, by code and by display', (locale) => {
    const t = tOf(locale);
    for (const code of ['AMB', 'IMP', 'EMER', 'HH', 'VR', 'ACUTE', 'NONAC', 'OBSENC', 'PRENC', 'SS']) {
      const label = encounterKindText(t, { class: { code } }, '?');
      expect(label, code).not.toBe('?');
      expect(label, code).not.toContain(code);
      if (locale === 'zh-CN') expect(label, code).not.toMatch(/[A-Za-z]/);
    }
    const byDisplay = {
      ambulatory: 'AMB',
      'inpatient encounter': 'IMP',
      emergency: 'EMER',
      'home health': 'HH',
      virtual: 'VR',
      'short stay': 'SS',
    };
    for (const [display, code] of Object.entries(byDisplay))
      expect(encounterKindText(t, { class: { display } }, '?'), display).toBe(encounterKindText(t, { class: { code } }, '?'));
  });

  it('an encounter heading says the kind of visit once, in the clinician’s language; an unknown class stays in the details', () => {
    const zh = tOf('zh-CN');
    const amb = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' };
    // The by-visit header used to read "门诊 · ambulatory".
    expect(encounterKindText(zh, { type: [{ text: '门诊' }], class: amb }, '就诊')).toBe('门诊');
    expect(encounterKindText(zh, { type: [{ text: '心内科门诊' }], class: amb }, '就诊')).toBe('心内科门诊');
    expect(encounterKindText(zh, { type: [{ text: '心内科' }], class: { code: 'IMP' } }, '就诊')).toBe('心内科 · 住院');
    expect(encounterKindText(tOf('en'), { type: [{ text: '门诊' }], class: amb }, 'Encounter')).toBe('门诊 · Outpatient');
    // No type: the core titled the visit by its class; the heading words the class instead.
    expect(encounterKindText(zh, { class: { display: 'ambulatory' } }, '就诊')).toBe('门诊');
    // A code no catalog knows is not put in the heading (the detail pane's coded facts show it).
    expect(encounterKindText(zh, { class: { code: 'XYZ' } }, '就诊')).toBe('就诊');
    expect(encounterKindText(zh, { type: [{ text: '特需门诊' }], class: { code: 'XYZ' } }, '就诊')).toBe('特需门诊');
    expect(codedFacts(zh, entry({ resourceType: 'Encounter', class: { code: 'XYZ' } }))).toContainEqual([expect.any(String), 'XYZ']);
  });

  it('re-words the summaries the core composed from codes', () => {
    const t = tOf('zh-CN');
    expect(
      codedSummary(t, entry({ resourceType: 'Encounter', class: { code: 'AMB' }, serviceType: { text: '心内科' } }, 'ambulatory')),
    ).toBe('门诊 · 心内科');
    expect(
      codedSummary(
        t,
        entry({ resourceType: 'AllergyIntolerance', criticality: 'low', reaction: [{ manifestation: [{ text: '皮疹' }] }] }, 'low'),
      ),
    ).toBe('低危 · 皮疹');
    expect(codedSummary(tOf('en'), entry({ resourceType: 'ImagingStudy', modality: [{ code: 'CT' }], numberOfInstances: 3 }))).toBe(
      'CT · 3 images',
    );
    expect(codedSummary(t, entry({ resourceType: 'Observation' }, '5.6 mmol/L'))).toBe('5.6 mmol/L');
  });

  it('names an allergy’s criticality, type, category and verification, a document’s state, in both languages', () => {
    const allergy = entry({
      resourceType: 'AllergyIntolerance',
      criticality: 'high',
      type: 'allergy',
      category: ['medication'],
      verificationStatus: { coding: [{ code: 'confirmed' }] },
    });
    expect(codedFacts(tOf('zh-CN'), allergy).map(([, v]) => v)).toEqual(['高危', '过敏', '药物', '已确认']);
    expect(codedFacts(tOf('en'), allergy).map(([, v]) => v)).toEqual(['High risk', 'Allergy', 'Medication', 'Confirmed']);
    expect(codedFacts(tOf('en'), entry({ resourceType: 'DocumentReference', docStatus: 'final' }))).toEqual([['Document state', 'Final']]);
  });
});
