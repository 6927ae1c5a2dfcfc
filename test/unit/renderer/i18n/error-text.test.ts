import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromBody } from '../../../../src/renderer/api/api-error.ts';
import { translate, type Locale } from '../../../../src/renderer/i18n/catalogs.ts';
import { errorText } from '../../../../src/renderer/i18n/error-text.ts';

const words = (locale: Locale) => ({
  t: (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(locale, key, params),
});

describe('errors in the reader’s language', () => {
  it('words an API error by its code, never by main’s English message', () => {
    const error = new ApiError('forbidden', 'role administrator may not call searchPatients', 403);
    expect(errorText(words('zh-CN'), error)).toBe('您的角色无权执行此操作');
    expect(errorText(words('en'), error)).toBe('Your role may not do this');
  });

  it('advises checking the connection only when the service could not be reached', () => {
    expect(errorText(words('zh-CN'), new ApiError('network', 'POST: fetch failed'))).toContain('检查网络');
    expect(errorText(words('zh-CN'), new ApiError('internal', 'boom'))).not.toContain('网络');
  });

  it('keeps an unexpected error’s own text as the detail', () => {
    expect(errorText(words('en'), new Error('canvas lost'))).toBe('Unexpected error (canvas lost); try again');
  });
});

describe('a refused sign-in in the reader’s language', () => {
  it('words the refusal main sent, with the wait when locked out', () => {
    const refused = apiErrorFromBody(
      { error: { code: 'signed-out', message: 'too many failed sign-ins …', refusal: { reason: 'locked-out', retryAfterMinutes: 5 } } },
      401,
    );
    expect(errorText(words('zh-CN'), refused)).toBe('登录失败次数过多，请 5 分钟后再试');
    const wrong = apiErrorFromBody(
      { error: { code: 'signed-out', message: 'unknown user or wrong password', refusal: { reason: 'bad-credentials' } } },
      401,
    );
    expect(errorText(words('en'), wrong)).toBe('Wrong username or password');
  });
});
