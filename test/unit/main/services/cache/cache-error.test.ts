import { describe, expect, it } from 'vitest';
import { CacheError, isDatabaseDamage, isDiskFull, toCacheError } from '../../../../../src/main/services/cache/cache-error.ts';
import { expiryCutoffMs, RetentionPolicySchema } from '../../../../../src/main/services/cache/retention.ts';
import { normalizeIdentifier } from '../../../../../src/main/services/cache/cache-store.ts';

const sqlite = (errcode: number, message = 'x') => Object.assign(new Error(message), { code: 'ERR_SQLITE_ERROR', errcode });

describe('error mapping', () => {
  it('recognises a full disk from the file system and from SQLite', () => {
    expect(isDiskFull(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe(true);
    expect(isDiskFull(sqlite(13))).toBe(true);
    expect(isDiskFull(sqlite(10 | (3 << 8), 'disk I/O error: disk is full'))).toBe(true);
    expect(isDiskFull(sqlite(10, 'disk I/O error'))).toBe(false);
    expect(isDiskFull('ENOSPC')).toBe(false);
  });

  it('recognises a damaged database (SQLITE_CORRUPT, SQLITE_NOTADB, extended codes)', () => {
    expect(isDatabaseDamage(sqlite(11))).toBe(true);
    expect(isDatabaseDamage(sqlite(11 | (1 << 8)))).toBe(true);
    expect(isDatabaseDamage(sqlite(26))).toBe(true);
    expect(isDatabaseDamage(sqlite(13))).toBe(false);
    expect(isDatabaseDamage(null)).toBe(false);
  });

  it('wraps unknown failures, keeping CacheErrors as they are', () => {
    const own = new CacheError('tampered', 'x');
    expect(toCacheError(own, 'reading')).toBe(own);
    expect(toCacheError(sqlite(13), 'writing').code).toBe('disk-full');
    expect(toCacheError(sqlite(11), 'reading').code).toBe('corrupt');
    const other = toCacheError(new Error('EACCES'), 'opening');
    expect(other.code).toBe('io');
    expect(other.message).toMatch(/while opening: EACCES/);
  });
});

describe('retention policy', () => {
  it('computes the idle cutoff, or none without maxIdleDays', () => {
    const now = new Date('2026-03-31T00:00:00Z');
    expect(expiryCutoffMs(RetentionPolicySchema.parse({ maxIdleDays: 30 }), now)).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(expiryCutoffMs(RetentionPolicySchema.parse({}), now)).toBeUndefined();
  });

  it('rejects unknown or nonsensical settings by name', () => {
    expect(RetentionPolicySchema.safeParse({ maxIdleDays: 0 }).success).toBe(false);
    const unknown = RetentionPolicySchema.safeParse({ maxIdleDay: 3 });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('maxIdleDay');
  });
});

describe('identifier normalisation', () => {
  it('ignores case, spaces and full-width forms', () => {
    expect(normalizeIdentifier(' 11010519900101123x ')).toBe('11010519900101123X');
    expect(normalizeIdentifier('ＭＲＮ １２')).toBe('MRN12');
  });
});
