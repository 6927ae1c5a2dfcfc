/** The demo IdP's sign-in page: a plain form, no script, no style (it must work under a strict CSP). */
export interface LoginPageModel {
  uid: string;
  clientName: string;
  username?: string;
  error?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const LOGIN_PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  // Browsers apply form-action to the whole redirect chain after a submit, which ends at the
  // client's loopback redirect on some other port.
  'Content-Security-Policy':
    "default-src 'none'; form-action 'self' http://127.0.0.1:* http://localhost:*; base-uri 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function loginPage(model: LoginPageModel): string {
  const uid = encodeURIComponent(model.uid);
  const error = model.error ? `<p role="alert">${escapeHtml(model.error)}</p>\n` : '';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>汇诊示范医院 统一身份认证 Sign in</title></head>
<body>
<h1>汇诊示范医院 统一身份认证</h1>
<p>${escapeHtml(model.clientName)} 请求登录 / asks you to sign in</p>
${error}<form method="post" action="/interaction/${uid}/login">
<label>用户名 Username <input name="username" autocomplete="username" required value="${escapeHtml(model.username ?? '')}"></label>
<label>密码 Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录 Sign in</button>
</form>
<form method="post" action="/interaction/${uid}/abort">
<button type="submit">取消 Cancel</button>
</form>
</body>
</html>
`;
}
