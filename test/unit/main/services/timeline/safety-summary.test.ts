// The safety summary's model (issue 16; src/renderer/features/summary), fed by the real timeline build so reconciliation and
// summary are tested together: allergies (criticality order, "no known" vs "not recorded"),
// active problems one line per problem with every source and the status conflict, current vs
// past medications, latest weight and height.
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
// The renderer's pure model files (the feature's door also exports its React view).
import { summarizeAllergies } from '../../../../../src/renderer/features/summary/allergy-summary.ts';
import { summarizeRecord } from '../../../../../src/renderer/features/summary/clinical-summary.ts';

let n = 0;
const sourced = (resource: Resource, sourceId: string): SourcedResource => ({
  resource: { ...resource, id: resource.id ?? `r${++n}` } as Resource,
  provenance: {
    sourceId,
    sourceName: sourceId.toUpperCase(),
    sourceKind: 'fhir',
    nativeId: `${resource.resourceType}/${resource.id ?? `r${n}`}`,
    fetchedAt: '2026-11-25T10:00:00Z',
  },
});
const ATC = 'http://www.whocc.no/atc';
const allergy = (code: string, text: string, extra: Record<string, unknown> = {}) =>
  ({
    resourceType: 'AllergyIntolerance',
    patient: {},
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { coding: [{ system: 'http://snomed.info/sct', code }], text },
    recordedDate: '2020-01-01',
    ...extra,
  }) as Resource;
const condition = (code: string, text: string, status: string, onset: string) =>
  ({
    resourceType: 'Condition',
    subject: {},
    clinicalStatus: { coding: [{ code: status }] },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code }], text },
    onsetDateTime: onset,
  }) as Resource;
const drug = (type: 'MedicationRequest' | 'MedicationStatement', atc: string, text: string, status: string, when = '2024-01-01') =>
  ({
    resourceType: type,
    subject: {},
    status,
    ...(type === 'MedicationRequest' ? { intent: 'order', authoredOn: when } : { effectiveDateTime: when }),
    medicationCodeableConcept: { coding: [{ system: ATC, code: atc }], text },
  }) as Resource;
const vital = (loinc: string, value: number, unit: string, when: string) =>
  ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    effectiveDateTime: when,
    valueQuantity: { value, unit },
  }) as Resource;

describe('allergies for the banner and the summary', () => {
  it('high criticality first, the reaction kept, one line for an allergy two systems recorded', () => {
    const s = summarizeAllergies(
      buildTimeline([
        sourced(allergy('1', '花粉', { criticality: 'low', reaction: [{ manifestation: [{ text: '鼻塞' }] }] }), 'cdr'),
        sourced(allergy('2', '青霉素', { reaction: [{ manifestation: [{ text: '皮疹' }] }] }), 'cdr'),
        sourced(allergy('2', '青霉素', { criticality: 'high' }), 'emr'),
      ]),
    );
    expect(s.state).toBe('recorded');
    expect(s.lines.map((l) => [l.title, l.criticality, l.entry.provenance.length])).toEqual([
      ['青霉素', 'high', 2],
      ['花粉', 'low', 1],
    ]);
    expect(s.lines[0]!.reactions).toEqual(['皮疹']);
  });

  it('"no known allergies" when a system says so; "not recorded" when none says anything; refuted and resolved ones are not current', () => {
    expect(summarizeAllergies(buildTimeline([sourced(allergy('716186003', 'No known allergy'), 'cdr')])).state).toBe('none-known');
    expect(
      summarizeAllergies(
        buildTimeline([sourced({ resourceType: 'AllergyIntolerance', patient: {}, code: { text: '无已知过敏' } } as Resource, 'emr')]),
      ).state,
    ).toBe('none-known');
    expect(summarizeAllergies([]).state).toBe('not-recorded');
    const gone = buildTimeline([
      sourced(allergy('3', '海鲜', { verificationStatus: { coding: [{ code: 'refuted' }] } }), 'cdr'),
      sourced(allergy('4', '头孢', { clinicalStatus: { coding: [{ code: 'resolved' }] } }), 'cdr'),
    ]);
    expect(summarizeAllergies(gone).state).toBe('not-recorded');
  });

  it('a criticality only the later system states is read, and names that system; in either order', () => {
    for (const order of [
      ['emr', 'cdr'],
      ['cdr', 'emr'],
    ]) {
      const s = summarizeAllergies(
        buildTimeline([
          sourced(allergy('91936005', '青霉素', order[0] === 'cdr' ? { criticality: 'low' } : {}), order[0]!),
          sourced(allergy('91936005', '青霉素', order[1] === 'cdr' ? { criticality: 'low' } : {}), order[1]!),
        ]),
      );
      expect(s.lines.map((l) => [l.criticality, l.criticalitySource, l.conflict])).toEqual([['low', 'CDR', false]]);
    }
    // One system alone: its chip says who; no "per" line.
    const alone = summarizeAllergies(buildTimeline([sourced(allergy('91936005', '青霉素', { criticality: 'low' }), 'cdr')]));
    expect(alone.lines[0]!.criticalitySource).toBeUndefined();
  });

  it('a high criticality against one that says nothing is high, marked, and names the system that said it', () => {
    const s = summarizeAllergies(
      buildTimeline([
        sourced(allergy('91936005', '青霉素'), 'emr'),
        sourced(allergy('91936005', '青霉素', { criticality: 'high' }), 'cdr'),
      ]),
    );
    expect(s.lines.map((l) => [l.criticality, l.criticalitySource, l.conflict])).toEqual([['high', 'CDR', true]]);
  });

  it('refuted in one system and confirmed in another stays on the list, marked', () => {
    const s = summarizeAllergies(
      buildTimeline([
        sourced(allergy('91936005', '青霉素', { verificationStatus: { coding: [{ code: 'refuted' }] } }), 'emr'),
        sourced(allergy('91936005', '青霉素', { verificationStatus: { coding: [{ code: 'confirmed' }] } }), 'cdr'),
      ]),
    );
    expect(s.lines.map((l) => [l.title, l.conflict])).toEqual([['青霉素', true]]);
  });

  it('a real allergy outweighs another system\'s "no known allergies"', () => {
    const s = summarizeAllergies(buildTimeline([sourced(allergy('716186003', 'NKA'), 'cdr'), sourced(allergy('2', '青霉素'), 'emr')]));
    expect(s.state).toBe('recorded');
    expect(s.lines).toHaveLength(1);
  });
});

describe('the summary of the record', () => {
  const record = () =>
    buildTimeline([
      sourced(condition('J18.9', '肺炎', 'resolved', '2021-01-27'), 'cdr'),
      sourced(condition('J18.9', '肺炎', 'active', '2021-01-27'), 'emr'),
      sourced(condition('J18.9', '肺炎', 'active', '2021-02-04'), 'emr'),
      sourced(condition('E11.9', '2型糖尿病', 'active', '2019-03-25'), 'cdr'),
      sourced(condition('E11.9', '2型糖尿病', 'active', '2021-02-04'), 'emr'),
      sourced(condition('K35.8', '阑尾炎', 'resolved', '2010-05-01'), 'cdr'),
      sourced(drug('MedicationRequest', 'A10BA02', '二甲双胍片 500 mg', 'active'), 'cdr'),
      sourced(drug('MedicationStatement', 'A10BA02', 'Metformin 500 mg', 'active', '2021-02-04'), 'emr'),
      sourced(drug('MedicationRequest', 'C10AA05', '阿托伐他汀 20 mg', 'active'), 'cdr'),
      sourced(drug('MedicationStatement', 'C10AA05', '阿托伐他汀 20 mg', 'stopped'), 'emr'),
      sourced(drug('MedicationRequest', 'J01CA04', '阿莫西林 0.5 g', 'completed', '2021-01-27'), 'cdr'),
      sourced(vital('29463-7', 70, 'kg', '2024-01-01T08:00:00+08:00'), 'cdr'),
      sourced(vital('29463-7', 68.5, 'kg', '2025-06-01T08:00:00+08:00'), 'cdr'),
      sourced(vital('8302-2', 172, 'cm', '2024-01-01T08:00:00+08:00'), 'cdr'),
    ]);

  it("active problems: one line per problem with every system's provenance; active against resolved and different onsets are marked; resolved everywhere is left out", () => {
    const { problems } = summarizeRecord(record());
    expect(problems.map((p) => [p.title, p.conflict, [...new Set(p.provenance.map((x) => x.sourceId))].sort()])).toEqual([
      ['2型糖尿病', true, ['cdr', 'emr']],
      ['肺炎', true, ['cdr', 'emr']],
    ]);
    // Three records (one CDR, two EMR documents), one chip per system.
    const pneumonia = problems[1]!;
    expect(pneumonia.entries.flatMap((e) => e.provenance)).toHaveLength(3);
    expect(pneumonia.provenance).toHaveLength(2);
    // Diabetes since 2019-03-25 in the CDR, 2021-02-04 in the EMR: the earliest, and both with their systems.
    expect(problems[0]!.since).toBe('2019-03-25');
    expect(problems[0]!.onsets).toEqual([
      { sourceName: 'CDR', value: '2019-03-25' },
      { sourceName: 'EMR', value: '2021-02-04' },
    ]);
  });

  it('the same onsets in every system (or one system only) are no disagreement', () => {
    const { problems } = summarizeRecord(
      buildTimeline([
        sourced(condition('E11.9', '2型糖尿病', 'active', '2019-03-25T09:38:00+08:00'), 'cdr'),
        sourced(condition('E11.9', '2型糖尿病', 'active', '2019-03-25'), 'emr'),
        sourced(condition('I10', '原发性高血压', 'active', '2019-03-25'), 'cdr'),
      ]),
    );
    expect(problems.map((p) => [p.title, p.conflict, p.onsets])).toEqual([
      ['2型糖尿病', false, undefined],
      ['原发性高血压', false, undefined],
    ]);
  });

  it('current medications apart from past ones; the duplicated drug is one line with two provenances; active against stopped is marked', () => {
    const { medications } = summarizeRecord(record());
    expect(medications.current.map((m) => [m.title, m.conflict, m.entry.provenance.map((p) => p.sourceId)])).toEqual([
      ['阿托伐他汀 20 mg', true, ['cdr', 'emr']],
      ['二甲双胍片 500 mg', false, ['cdr', 'emr']],
    ]);
    expect(medications.past.map((m) => [m.title, m.status])).toEqual([['阿莫西林 0.5 g', 'completed']]);
  });

  it('a dose two systems state differently marks the line; the drug stays where its status puts it', () => {
    const dosed = (type: 'MedicationRequest' | 'MedicationStatement', text: string) => {
      const r = drug(type, 'C08CA01', '氨氯地平 5 mg', 'active') as unknown as Record<string, unknown>;
      return { ...r, [type === 'MedicationRequest' ? 'dosageInstruction' : 'dosage']: [{ text }] } as unknown as Resource;
    };
    const { medications } = summarizeRecord(
      buildTimeline([
        sourced(dosed('MedicationRequest', '每日一次，每次5 mg'), 'cdr'),
        sourced(dosed('MedicationStatement', '每日两次，每次5 mg'), 'emr'),
      ]),
    );
    expect(medications.current.map((m) => [m.title, m.conflict, m.dosage])).toEqual([['氨氯地平 5 mg', true, '每日一次，每次5 mg']]);
    expect(medications.past).toEqual([]);
  });

  it('latest weight and height with their dates', () => {
    const s = summarizeRecord(record());
    expect([s.weight?.value, s.weight?.unit, s.weight?.time]).toEqual([68.5, 'kg', '2025-06-01T08:00:00+08:00']);
    expect([s.height?.value, s.height?.unit]).toEqual([172, 'cm']);
    expect(summarizeRecord([]).weight).toBeUndefined();
  });
});
