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

describe('a call over the user’s limit in the reader’s language', () => {
  it('words main’s 429 with the wait it gave, in both languages', () => {
    const limited = apiErrorFromBody(
      { error: { code: 'rate-limited', message: 'listWorklist: too many worklist calls …', retryAfterSeconds: 5 } },
      429,
    );
    expect(limited.code).toBe('rate-limited');
    expect(limited.retryAfterSeconds).toBe(5);
    expect(errorText(words('zh-CN'), limited)).toBe('您的账号短时间内向医院系统发出的请求过多，请 5 秒后再试');
    expect(errorText(words('en'), limited)).toContain('try again in 5 s');
  });

  it('drops a wait that is not a whole number of seconds rather than show it', () => {
    const odd = apiErrorFromBody({ error: { code: 'rate-limited', message: 'x', retryAfterSeconds: '<b>soon</b>' } }, 429);
    expect(odd.retryAfterSeconds).toBeUndefined();
    expect(errorText(words('en'), odd)).toContain('try again in 1 s');
  });
});
