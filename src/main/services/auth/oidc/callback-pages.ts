/**
 * What the system browser shows after the identity provider redirects to Huizhen's loopback
 * listener: static HTML, no script, no style, locked down by headers. The callback URL holds
 * the authorization code, hence no-referrer and no-store.
 */
export interface CallbackPage {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, lines: readonly string[]): CallbackPage {
  const paragraphs = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const body = `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
${paragraphs}
</body>
</html>
`;
  return { status, headers: { ...PAGE_HEADERS }, body };
}

export function signedInPage(): CallbackPage {
  return page(200, '已登录 Signed in', ['请返回汇诊。可以关闭此页面。', 'Return to Huizhen. You may close this page.']);
}

export function signInFailedPage(reason: string): CallbackPage {
  return page(400, '登录未完成 Sign-in not completed', [reason, '请返回汇诊重试。Return to Huizhen to try again.']);
}

export function notFoundPage(): CallbackPage {
  return page(404, 'Not found', ['This address only receives the sign-in redirect.']);
}
