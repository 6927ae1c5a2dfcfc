import { describe, expect, it } from 'vitest';
import { documentItems } from '../../../../../src/renderer/features/documents/document-list-model.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { CDR, entry } from '../../fixtures.ts';

const platform = { ...CDR, sourceId: 'emr', sourceName: '集成平台', sourceKind: 'hl7v3' as const, fetchedAt: '2024-03-06T08:00:00Z' };

function doc(
  id: string,
  date: string | undefined,
  extra: Partial<TimelineEntry> = {},
  resource: Record<string, unknown> = {},
): TimelineEntry {
  return entry(id, date, {
    kind: 'document',
    title: id,
    resource: { resourceType: 'DocumentReference', ...(date ? { date } : {}), ...resource } as TimelineEntry['resource'],
    ...extra,
  });
}

describe('documentItems', () => {
  it('keeps documents only, newest first, undated last', () => {
    const items = documentItems([
      doc('old', '2023-01-01T08:00:00+08:00'),
      entry('lab', '2025-01-01'),
      doc('undated', undefined),
      doc('new', '2024-05-01'),
      doc('mid', '2024-01-01T08:00:00+08:00'),
    ]);
    expect(items.map((i) => i.id)).toEqual(['new', 'mid', 'old', 'undated']);
  });

  it('reads type, authors, custodian and the latest fetch time', () => {
    const [item] = documentItems([
      doc(
        '出院小结',
        '2024-05-01T10:00:00+08:00',
        { provenance: [CDR, platform] },
        {
          type: { coding: [{ code: 'C0053', display: '出院小结' }] },
          author: [{ display: '李医生, 示范医院' }, { reference: 'Practitioner/1' }],
          custodian: { display: '示范医院' },
        },
      ),
    ]);
    expect(item).toMatchObject({
      type: '出院小结',
      authors: ['李医生, 示范医院'],
      custodian: '示范医院',
      fetchedAt: '2024-03-06T08:00:00Z',
    });
    expect(item?.provenance).toHaveLength(2);
  });

  it('falls back to the entry’s clinical time for resources that are not DocumentReferences', () => {
    const note = entry('note', '2024-02-02', {
      kind: 'document',
      resource: { resourceType: 'Composition', date: '1999-01-01' } as TimelineEntry['resource'],
    });
    const [item] = documentItems([note]);
    expect(item).toMatchObject({ date: '2024-02-02', authors: [] });
    expect(item?.custodian).toBeUndefined();
  });
});
