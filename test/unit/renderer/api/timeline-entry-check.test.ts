import { describe, expect, it } from 'vitest';
import { PatientAccessSchema } from '../../../../src/shared/api/session.ts';
import { TimelineEntrySchema, type TimelineEntry } from '../../../../src/shared/domain/timeline.ts';
import { checkTimelineEntries } from '../../../../src/renderer/api/timeline-entry-check.ts';
import { parseApiEvent, parseOpenPatientResponse } from '../../../../src/renderer/api/timeline-payloads.ts';
import { parseResponse } from '../../../../src/renderer/api/validate.ts';
import { CDR, LIS, entry, glucose } from '../fixtures.ts';

/** An entry using every optional field, so each mutation below hits a field that is present. */
function full(): TimelineEntry {
  return glucose('g1', '2024-03-05T08:00:00+08:00', 99, {
    recordedTime: '2024-03-05T09:00:00+08:00',
    status: 'final',
    abnormal: true,
    codes: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }],
    provenance: [CDR, LIS],
    conflicts: [
      {
        field: 'value',
        values: [
          { sourceId: 'cdr', sourceName: 'CDR', value: '5.5' },
          { sourceId: 'lis', sourceName: 'LIS', value: '5.6' },
        ],
      },
    ],
    encounterId: 'enc-1',
    panelId: 'rep-1',
    resourceSummary: true,
    quality: [
      {
        code: 'unmapped-code',
        severity: 'warning',
        sourceId: 'lis',
        resourceType: 'Observation',
        field: 'Observation.code.coding',
        params: { system: 'urn:lis', code: 'X' },
      },
    ],
  });
}

type Mutation = [name: string, mutate: (e: Record<string, unknown>) => void];
const at = (e: Record<string, unknown>, ...path: (string | number)[]) =>
  path.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, e);

const MUTATIONS: Mutation[] = [
  ['id missing', (e) => delete e.id],
  ['id a number', (e) => (e.id = 7)],
  ['kind unknown', (e) => (e.kind = 'vital-sign')],
  ['title missing', (e) => delete e.title],
  ['clinicalTime a number', (e) => (e.clinicalTime = 20240305)],
  ['summary null', (e) => (e.summary = null)],
  ['abnormal a string', (e) => (e.abnormal = 'yes')],
  ['codes missing', (e) => delete e.codes],
  ['codes an object', (e) => (e.codes = {})],
  ['coding.code a number', (e) => (at(e, 'codes', 0).code = 2345)],
  ['coding null', (e) => ((e.codes as unknown[])[0] = null)],
  ['provenance empty', (e) => (e.provenance = [])],
  ['provenance missing', (e) => delete e.provenance],
  ['provenance.sourceKind unknown', (e) => (at(e, 'provenance', 1).sourceKind = 'soap')],
  ['provenance.fetchedAt missing', (e) => delete at(e, 'provenance', 0).fetchedAt],
  ['provenance.messageType a number', (e) => (at(e, 'provenance', 0).messageType = 1)],
  ['lab.value a string', (e) => (at(e, 'lab').value = '5.5')],
  ['lab.low null', (e) => (at(e, 'lab').low = null)],
  ['lab an array', (e) => (e.lab = [])],
  ['lab.original.unit a number', (e) => (at(e, 'lab', 'original').unit = 1)],
  ['conflicts with one value', (e) => (at(e, 'conflicts', 0).values = [(at(e, 'conflicts', 0).values as unknown[])[0]])],
  ['conflict.field missing', (e) => delete at(e, 'conflicts', 0).field],
  ['conflict value a number', (e) => (at(e, 'conflicts', 0, 'values', 1).value = 5.6)],
  ['quality.code unknown', (e) => (at(e, 'quality', 0).code = 'bad-vibes')],
  ['quality.sourceId missing', (e) => delete at(e, 'quality', 0).sourceId],
  ['quality.params value a number', (e) => (at(e, 'quality', 0, 'params').code = 7)],
  ['encounterId a number', (e) => (e.encounterId = 1)],
  ['value of an unknown type', (e) => (e.value = { type: 'html', value: '<b>' })],
  ['value components empty', (e) => (e.value = { type: 'components', components: [] })],
  ['value boolean a string', (e) => (e.value = { type: 'boolean', value: 'true' })],
  ['resourceSummary false', (e) => (e.resourceSummary = false)],
  ['resourceSummary a string', (e) => (e.resourceSummary = 'yes')],
  ['resource missing', (e) => delete e.resource],
  ['resource without resourceType', (e) => (e.resource = { id: 'x' })],
  ['resource a string', (e) => (e.resource = 'Observation')],
];

describe('checkTimelineEntries (the lean twin of TimelineEntrySchema)', () => {
  it('accepts what the schema accepts, and hands back the same entries', () => {
    const entries = [full(), entry('plain', undefined)];
    for (const e of entries) expect(TimelineEntrySchema.safeParse(e).success).toBe(true);
    const checked = checkTimelineEntries(entries);
    expect(checked).toEqual({ ok: true, entries });
  });

  it.each(MUTATIONS)('rejects an entry with %s, as the schema does, naming the path', (_name, mutate) => {
    const bad = structuredClone(full()) as unknown as Record<string, unknown>;
    mutate(bad);
    const zod = TimelineEntrySchema.safeParse(bad);
    expect(zod.success).toBe(false);
    const checked = checkTimelineEntries([entry('ok', undefined), bad]);
    expect(checked.ok).toBe(false);
    if (checked.ok || zod.success) return;
    // Same offending place: the lean path names a prefix of (or the same) path zod names.
    const zodPath = ['entries', '1', ...zod.error.issues[0]!.path.map(String)].join('.');
    expect(zodPath.startsWith(checked.path)).toBe(true);
    expect(checked.path.startsWith('entries.1')).toBe(true);
  });

  it('rejects non-arrays and non-objects', () => {
    expect(checkTimelineEntries({})).toMatchObject({ ok: false, path: 'entries', message: 'expected an array' });
    expect(checkTimelineEntries([null])).toMatchObject({ ok: false, path: 'entries.0', message: 'expected an object' });
    expect(checkTimelineEntries([[]])).toMatchObject({ ok: false, path: 'entries.0' });
  });

  it('refuses numbers JSON cannot carry (NaN, Infinity), as z.number() does', () => {
    const bad = full();
    bad.lab = { ...bad.lab, value: Number.NaN };
    expect(TimelineEntrySchema.safeParse(bad).success).toBe(false);
    expect(checkTimelineEntries([bad])).toMatchObject({ ok: false, path: 'entries.0.lab.value' });
  });
});

describe('timeline payloads: envelope by the contract, entries the lean way', () => {
  const sources = [{ sourceId: 'cdr', name: 'CDR', kind: 'fhir', state: 'ok' }];
  const access = {
    basis: PatientAccessSchema.shape.basis.options[0],
    withheldTypes: ['DocumentReference'],
    masked: false,
    maskLevel: 'none' as const,
  };

  it('passes a good timeline.updated event through and keeps source.status on the plain schema', () => {
    const event = { type: 'timeline.updated', viewId: 'o1', entries: [full()], sources, complete: false, access };
    expect(parseApiEvent(event)).toEqual({ ok: true, value: event });
    expect(parseApiEvent({ type: 'source.status', status: sources[0] }).ok).toBe(true);
    expect(parseApiEvent({ type: 'source.status', status: {} })).toMatchObject({ ok: false });
  });

  it('rejects an event whose entry is malformed, with the entry path and id in the message', () => {
    const bad = full() as unknown as Record<string, unknown>;
    bad.provenance = [];
    const parsed = parseApiEvent({
      type: 'timeline.updated',
      viewId: 'o1',
      entries: [entry('a', undefined), bad],
      sources,
      complete: true,
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.message).toBe('invalid timeline.updated event at "entries.1.provenance" (entry id "g1"): expected at least 1 item');
  });

  it('rejects a bad envelope before looking at entries', () => {
    const parsed = parseApiEvent({ type: 'timeline.updated', viewId: 'o1', entries: [], sources, complete: 'yes' });
    expect(parsed).toMatchObject({ ok: false });
    if (!parsed.ok) expect(parsed.message).toMatch(/^invalid timeline\.updated event at "complete"/);
    expect(parseApiEvent({ type: 'timeline.updated', viewId: 'o1', entries: {}, sources, complete: true })).toMatchObject({ ok: false });
  });

  it('checks the openPatient reply the same way, and parseResponse throws invalid-response for it', () => {
    const good = { viewId: 'o1', entries: [full()], sources, access };
    // Fields beside the entries come from the contract's own schema: nothing is lost on the way.
    expect(parseOpenPatientResponse(good)).toEqual({ ok: true, value: good });
    expect(parseOpenPatientResponse({ ...good, access: undefined })).toMatchObject({ ok: false });
    expect(parseResponse('openPatient', good).entries).toHaveLength(1);
    const bad = { ...good, entries: [{ ...full(), kind: 'vital-sign' }] };
    expect(() => parseResponse('openPatient', bad)).toThrow(
      /invalid openPatient response at "entries\.0\.kind" \(entry id "g1"\): expected one of/,
    );
    try {
      parseResponse('openPatient', bad);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid-response' });
    }
    expect(() => parseResponse('openPatient', { entries: [], sources, access })).toThrow(/at "viewId"/);
  });
});
