// A problem, allergy or drug two systems record is one entry that loses nothing either states: a
// field one leaves empty is taken from the other (and `statedBy` names who said it), two stated
// values that differ are a conflict keeping both. Each case runs in both arrival orders.
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import { reconcileStatements } from '../../../../../src/main/services/timeline/reconcile/reconcile-conflicts.ts';
import type { ReconciledGroup } from '../../../../../src/main/services/timeline/reconcile/reconcile-keys.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';

const sourced = (resource: Resource, sourceId: string): SourcedResource => ({
  resource,
  provenance: {
    sourceId,
    sourceName: sourceId.toUpperCase(),
    sourceKind: 'fhir',
    nativeId: `${resource.resourceType}/${resource.id}`,
    fetchedAt: '2026-11-25T10:00:00Z',
  },
});
const ATC = 'http://www.whocc.no/atc';
const penicillin = { coding: [{ system: ATC, code: 'J01CA' }], text: '青霉素类' };
const allergy = (id: string, extra: Record<string, unknown> = {}) =>
  ({ resourceType: 'AllergyIntolerance', id, patient: {}, code: penicillin, recordedDate: '2021-01-27', ...extra }) as Resource;
const active = { coding: [{ code: 'active' }] };
const condition = (id: string, extra: Record<string, unknown> = {}) =>
  ({
    resourceType: 'Condition',
    id,
    subject: {},
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }], text: '2型糖尿病' },
    recordedDate: '2021-02-04T08:11:00+08:00',
    ...extra,
  }) as Resource;
const metformin = { coding: [{ system: ATC, code: 'A10BA02' }], text: '二甲双胍片 500 mg' };
const order = (id: string, extra: Record<string, unknown> = {}) =>
  ({
    resourceType: 'MedicationRequest',
    id,
    intent: 'order',
    subject: {},
    medicationCodeableConcept: metformin,
    authoredOn: '2019-03-25',
    ...extra,
  }) as Resource;
const statement = (id: string, extra: Record<string, unknown> = {}) =>
  ({ resourceType: 'MedicationStatement', id, subject: {}, medicationCodeableConcept: metformin, ...extra }) as Resource;

/** The one entry two systems' records make, in both arrival orders: [a first, b first]. */
function bothOrders(a: SourcedResource, b: SourcedResource): [TimelineEntry, TimelineEntry] {
  const ab = buildTimeline([a, b]);
  const ba = buildTimeline([b, a]);
  expect(ab).toHaveLength(1);
  expect(ba).toHaveLength(1);
  return [ab[0]!, ba[0]!];
}
const field = (e: TimelineEntry, name: string) => (e.resource as unknown as Record<string, unknown>)[name];
const statedBy = (e: TimelineEntry, name: string) => e.statedBy?.find((s) => s.field === name)?.sourceId;
/** A conflict's values as "source=value", sorted: the same whichever order the systems came in. */
const conflictOf = (e: TimelineEntry, name: string) =>
  e.conflicts
    ?.find((c) => c.field === name)
    ?.values.map((v) => `${v.sourceId}=${v.value}`)
    .sort();

describe('allergies: what one system states is kept', () => {
  it('criticality "low" stated only by the later system is the merged criticality, said by that system; no conflict', () => {
    const [first, second] = bothOrders(
      sourced(allergy('a1', { clinicalStatus: active }), 'emr'),
      sourced(allergy('a2', { clinicalStatus: active, criticality: 'low' }), 'cdr'),
    );
    for (const e of [first, second]) {
      expect(field(e, 'criticality')).toBe('low');
      expect(e.summary).toMatch(/^low/);
      expect(e.conflicts).toBeUndefined();
      expect(e.provenance.map((p) => p.sourceId).sort()).toEqual(['cdr', 'emr']);
    }
    // The EMR came first: its entry shows the CDR's statement, and says it is the CDR's.
    expect(first.provenance[0]!.sourceId).toBe('emr');
    expect(statedBy(first, 'criticality')).toBe('cdr');
    // The CDR came first: its own statement, nothing taken.
    expect(second.statedBy).toBeUndefined();
  });

  it('a "high" one system states against one that says nothing is taken and flagged, in either order', () => {
    for (const e of bothOrders(
      sourced(allergy('a1', { clinicalStatus: active }), 'emr'),
      sourced(allergy('a2', { clinicalStatus: active, criticality: 'high' }), 'cdr'),
    )) {
      expect(field(e, 'criticality')).toBe('high');
      expect(conflictOf(e, 'criticality')).toEqual(['cdr=high', 'emr=']);
    }
  });

  it('"low" against "high" is a conflict with both; the merged entry never reads lower than any system said', () => {
    const entries = bothOrders(
      sourced(allergy('a1', { criticality: 'low' }), 'emr'),
      sourced(allergy('a2', { criticality: 'high' }), 'cdr'),
    );
    for (const e of entries) expect(conflictOf(e, 'criticality')).toEqual(['cdr=high', 'emr=low']);
  });

  it('a reaction, its severity, the verification and clinical status one system states are taken from it', () => {
    const stated = {
      clinicalStatus: active,
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      reaction: [{ manifestation: [{ text: '皮疹' }], severity: 'severe' }],
    };
    for (const e of bothOrders(sourced(allergy('a1'), 'emr'), sourced(allergy('a2', stated), 'cdr'))) {
      expect(e.status).toBe('active');
      expect(field(e, 'verificationStatus')).toEqual(stated.verificationStatus);
      expect(field(e, 'reaction')).toEqual(stated.reaction);
      expect(e.conflicts).toBeUndefined();
    }
    const [emrFirst] = bothOrders(sourced(allergy('a1'), 'emr'), sourced(allergy('a2', stated), 'cdr'));
    expect(emrFirst.statedBy?.map((s) => s.field).sort()).toEqual(['reaction', 'status', 'verification']);
    expect(emrFirst.statedBy?.every((s) => s.sourceId === 'cdr' && s.sourceName === 'CDR')).toBe(true);
  });

  it("a severity goes onto the first system's own reaction; the reaction's words are not replaced", () => {
    const [emrFirst] = bothOrders(
      sourced(allergy('a1', { reaction: [{ manifestation: [{ text: '皮疹、瘙痒' }] }] }), 'emr'),
      sourced(allergy('a2', { reaction: [{ manifestation: [{ text: '皮疹' }, { text: '瘙痒' }], severity: 'moderate' }] }), 'cdr'),
    );
    expect(field(emrFirst, 'reaction')).toEqual([{ manifestation: [{ text: '皮疹、瘙痒' }], severity: 'moderate' }]);
    expect(statedBy(emrFirst, 'severity')).toBe('cdr');
    // "皮疹、瘙痒" and "皮疹" + "瘙痒" are the same words.
    expect(emrFirst.conflicts).toBeUndefined();
  });

  it('different reactions, severities and verification statuses are conflicts with both values', () => {
    for (const e of bothOrders(
      sourced(
        allergy('a1', {
          verificationStatus: { coding: [{ code: 'unconfirmed' }] },
          reaction: [{ manifestation: [{ text: '皮疹' }], severity: 'mild' }],
        }),
        'emr',
      ),
      sourced(
        allergy('a2', {
          verificationStatus: { coding: [{ code: 'confirmed' }] },
          reaction: [{ manifestation: [{ text: '过敏性休克' }], severity: 'severe' }],
        }),
        'cdr',
      ),
    )) {
      expect(conflictOf(e, 'reaction')).toEqual(['cdr=过敏性休克', 'emr=皮疹']);
      expect(conflictOf(e, 'severity')).toEqual(['cdr=severe', 'emr=mild']);
      expect(conflictOf(e, 'verification')).toEqual(['cdr=confirmed', 'emr=unconfirmed']);
    }
  });

  it("three systems: a value taken from the second is the second's in a conflict the third opens", () => {
    const entries = buildTimeline([
      sourced(allergy('a1'), 'emr'),
      sourced(allergy('a2', { criticality: 'low' }), 'cdr'),
      sourced(allergy('a3', { criticality: 'unable-to-assess' }), 'his'),
    ]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.conflicts).toEqual([
      {
        field: 'criticality',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: 'low' },
          { sourceId: 'his', sourceName: 'HIS', value: 'unable-to-assess' },
        ],
      },
    ]);
    expect(field(entries[0]!, 'criticality')).toBe('low');
  });
});

describe('problems: status and onset', () => {
  it('an onset only one system states is the merged onset and clinical time, said by that system', () => {
    const [emrFirst, cdrFirst] = bothOrders(
      sourced(condition('c1', { clinicalStatus: active }), 'emr'),
      sourced(condition('c2', { onsetDateTime: '2019-03-25T09:38:00+08:00' }), 'cdr'),
    );
    for (const e of [emrFirst, cdrFirst]) {
      expect(field(e, 'onsetDateTime')).toBe('2019-03-25T09:38:00+08:00');
      expect(e.clinicalTime).toBe('2019-03-25T09:38:00+08:00');
      expect(e.status).toBe('active');
      expect(e.conflicts).toBeUndefined();
    }
    expect(statedBy(emrFirst, 'onset')).toBe('cdr');
    expect(statedBy(cdrFirst, 'status')).toBe('emr');
  });

  it('onsets that differ: the earliest is the onset, the disagreement keeps both dates and their systems', () => {
    const entries = bothOrders(
      sourced(condition('c1', { onsetDateTime: '2021-02-04T08:11:00+08:00' }), 'emr'),
      sourced(condition('c2', { onsetDateTime: '2019-03-25T09:38:00+08:00' }), 'cdr'),
    );
    for (const e of entries) {
      expect(field(e, 'onsetDateTime')).toBe('2019-03-25T09:38:00+08:00');
      expect(e.clinicalTime).toBe('2019-03-25T09:38:00+08:00');
      expect(conflictOf(e, 'onset')).toEqual(['cdr=2019-03-25T09:38:00+08:00', 'emr=2021-02-04T08:11:00+08:00']);
    }
    expect(statedBy(entries[0], 'onset')).toBe('cdr');
  });

  it('the merged entry moves to its earliest onset in the newest-first order', () => {
    const entries = buildTimeline([
      sourced(condition('c1', { onsetDateTime: '2024-05-01' }), 'emr'),
      sourced(
        { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, period: { start: '2022-01-01' } } as Resource,
        'emr',
      ),
      sourced(condition('c2', { onsetDateTime: '2019-03-25' }), 'cdr'),
    ]);
    expect(entries.map((e) => e.kind)).toEqual(['encounter', 'condition']);
  });

  it('a year and a day in that year agree; a period start is an onset too', () => {
    for (const e of bothOrders(
      sourced(condition('c1', { onsetDateTime: '2019' }), 'emr'),
      sourced(condition('c2', { onsetPeriod: { start: '2019-03-25' } }), 'cdr'),
    ))
      expect(e.conflicts).toBeUndefined();
  });
});

describe('drugs: dose and status', () => {
  it("a dose only one system states is kept, whether it is an order's dosageInstruction or a statement's dosage", () => {
    const [emrFirst, cdrFirst] = bothOrders(
      sourced(statement('s1', { status: 'active' }), 'emr'),
      sourced(order('o1', { status: 'active', dosageInstruction: [{ text: '每日两次，每次500 mg' }] }), 'cdr'),
    );
    for (const e of [emrFirst, cdrFirst]) {
      expect(e.summary).toBe('每日两次，每次500 mg');
      expect(e.conflicts).toBeUndefined();
    }
    expect(field(emrFirst, 'dosage')).toEqual([{ text: '每日两次，每次500 mg' }]);
    expect(statedBy(emrFirst, 'dose')).toBe('cdr');
    // A statement's own dosage is its summary too, merged or not.
    expect(buildTimeline([sourced(statement('s2', { status: 'active', dosage: [{ text: '每晚 20 mg' }] }), 'emr')])[0]!.summary).toBe(
      '每晚 20 mg',
    );
  });

  it('doses that differ are a conflict (spacing and punctuation aside); a status only one states is taken', () => {
    for (const e of bothOrders(
      sourced(statement('s1', { dosage: [{ text: '每日一次，每次 500 mg' }] }), 'emr'),
      sourced(order('o1', { status: 'active', dosageInstruction: [{ text: '每日两次，每次500 mg' }] }), 'cdr'),
    )) {
      expect(conflictOf(e, 'dose')).toEqual(['cdr=每日两次，每次500 mg', 'emr=每日一次，每次 500 mg']);
      expect(e.status).toBe('active');
    }
    for (const e of bothOrders(
      sourced(statement('s1', { status: 'active', dosage: [{ text: '每日两次, 每次 500mg' }] }), 'emr'),
      sourced(order('o1', { status: 'active', dosageInstruction: [{ text: '每日两次，每次500 mg' }] }), 'cdr'),
    ))
      expect(e.conflicts).toBeUndefined();
  });
});

describe('what systems send that is not FHIR', () => {
  const junk: unknown[] = [null, 7, true, {}, [], [null], [7], { coding: 'x' }, { coding: [null, 3] }, { start: 5 }, ''];
  const fields = [
    'criticality',
    'clinicalStatus',
    'verificationStatus',
    'reaction',
    'onsetDateTime',
    'onsetPeriod',
    'status',
    'dosage',
    'dosageInstruction',
  ];
  // Entries as the build makes them, without describing the resource (that is describe-resource's own concern).
  const entryOf = (item: SourcedResource): TimelineEntry =>
    ({
      id: item.provenance.nativeId,
      kind: 'other',
      title: '',
      codes: [],
      provenance: [item.provenance],
      resource: item.resource,
    }) as TimelineEntry;

  it('a field of another type says nothing: no throw, the other system’s statement is kept, every conflict value a string', () => {
    for (const name of fields)
      for (const value of junk) {
        const bad = { [name]: value, ...(name === 'reaction' ? {} : { reaction: [{ manifestation: value, severity: value }, null] }) };
        const cases: [ReconciledGroup, SourcedResource, SourcedResource, string][] = [
          ['allergy', sourced(allergy('a1', bad), 'emr'), sourced(allergy('a2', { criticality: 'low' }), 'cdr'), 'criticality'],
          [
            'condition',
            sourced(condition('c1', bad), 'emr'),
            sourced(condition('c2', { onsetDateTime: '2019-03-25' }), 'cdr'),
            'onsetDateTime',
          ],
          [
            'medication',
            sourced(statement('s1', bad), 'emr'),
            sourced(order('o1', { dosageInstruction: [{ text: '每日一次' }] }), 'cdr'),
            'dosage',
          ],
        ];
        for (const [group, a, b, kept] of cases)
          for (const [x, y] of [
            [a, b],
            [b, a],
          ] as const) {
            const out = reconcileStatements(group, entryOf(x), entryOf(y), undefined);
            const at = `${group} ${name}=${JSON.stringify(value)}`;
            for (const c of out.conflicts ?? []) for (const v of c.values) expect(typeof v.value, at).toBe('string');
            // The good record's statement survives whichever came first.
            if (x === a && name !== kept) expect((out.resource as unknown as Record<string, unknown>)?.[kept], at).toBeDefined();
          }
      }
  });
});
