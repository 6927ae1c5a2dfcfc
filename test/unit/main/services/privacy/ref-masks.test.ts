import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRefMasks } from '../../../../../src/main/services/privacy/index.ts';

const key = Buffer.alloc(32, 3);
const ref = (sourcePatientId: string, sourceId = 'cdr') => ({ sourceId, sourcePatientId });
const DAY = 20_429;

describe('the console’s masked references, one family per purpose', () => {
  it('gives one record reference one audit mask, whatever else an event names', () => {
    const masks = createRefMasks(key);
    expect(masks.audit(ref('pat-0001'))).toMatch(/^P-[0-9a-f]{10}$/);
    expect(masks.audit(ref('pat-0001'))).toBe(createRefMasks(Buffer.from(key)).audit(ref('pat-0001')));
    expect(masks.audit(ref('pat-0001'))).not.toBe(masks.audit(ref('pat-0002')));
    // The source is part of the reference: the same id in two systems is two records.
    expect(masks.audit(ref('pat-0001'))).not.toBe(masks.audit(ref('pat-0001', 'his')));
    // Another workstation's key, other masks.
    expect(createRefMasks(Buffer.alloc(32, 4)).audit(ref('pat-0001'))).not.toBe(masks.audit(ref('pat-0001')));
  });

  it('keeps a sample reference for one day and never lets it meet an audit mask', () => {
    const masks = createRefMasks(key);
    const sample = masks.qualitySample('P-3a198bc255', DAY);
    expect(sample).toMatch(/^S-[0-9a-f]{10}$/);
    expect(masks.qualitySample('P-3a198bc255', DAY)).toBe(sample);
    expect(masks.qualitySample('P-3a198bc255', DAY + 1)).not.toBe(sample);
    // Sequential record ids, as an administrator would enumerate them in the audit search.
    const audit = new Set<string>();
    for (let i = 1; i <= 2000; i++)
      for (const id of [`dq-pat-${i}`, `pat-${String(i).padStart(4, '0')}`]) audit.add(masks.audit(ref(id)).slice(2));
    const samples = Array.from({ length: 2000 }, (_, i) => masks.qualitySample(`P-${i.toString(16).padStart(10, '0')}`, DAY).slice(2));
    expect(samples.filter((s) => audit.has(s))).toEqual([]);
  });

  it('separates the families by key, not only by prefix: neither is the plain HMAC under the root key', () => {
    const masks = createRefMasks(key);
    const plain = (message: string) => createHmac('sha256', key).update(message).digest('hex').slice(0, 10);
    expect(masks.audit(ref('pat-0001')).slice(2)).not.toBe(plain('cdr\u0000pat-0001'));
    expect(masks.audit(ref('pat-0001')).slice(2)).not.toBe(plain('audit\u0000cdr\u0000pat-0001'));
    expect(masks.qualitySample('k', DAY).slice(2)).not.toBe(plain(`quality-sample\u0000${DAY}\u0000k`));
  });
});
