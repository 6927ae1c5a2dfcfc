import { describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../../../../src/renderer/i18n/catalogs.ts';
import { createFormatter } from '../../../../../src/renderer/i18n/format.ts';
import { sourceErrorText } from '../../../../../src/renderer/features/sources/source-error-text.ts';

const words = (locale: Locale) => ({
  t: (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(locale, key, params),
  fmt: createFormatter(locale),
});

describe('a system’s failure in the reader’s language', () => {
  it('words a timeout with how long the workstation waited, never main’s English message', () => {
    const error = { code: 'timeout' as const, message: 'LIS did not answer within 20000 ms', timeoutMs: 20_000 };
    const zh = sourceErrorText(words('zh-CN'), error);
    const en = sourceErrorText(words('en'), error);
    expect(zh).toContain('内未应答');
    expect(zh).toContain(createFormatter('zh-CN').milliseconds(20_000));
    expect(en).toBe(`no answer within ${createFormatter('en').milliseconds(20_000)}`);
    for (const text of [zh, en]) expect(text).not.toContain('did not answer');
  });

  it('words the code, with the HTTP status when the system answered one', () => {
    expect(sourceErrorText(words('en'), { code: 'server-error', message: 'HIS: GET /Patient answered HTTP 503', status: 503 })).toBe(
      'Server error (HTTP 503)',
    );
    expect(sourceErrorText(words('zh-CN'), { code: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toBe('无法连接');
  });
});
