import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'huizhen_session';

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The browser host's only credential: a one-time token printed in the URL, exchanged on first
 * use for an HttpOnly SameSite=Strict cookie. Another local user or a web page cannot guess
 * the token, and the token is useless once redeemed (it may sit in shell history).
 */
export class BrowserHostCookies {
  private pendingToken: string | undefined;
  private readonly sessions = new Set<string>();

  issueToken(): string {
    this.pendingToken = randomBytes(24).toString('base64url');
    return this.pendingToken;
  }

  /** Returns a new session id if `token` is the pending one-time token; the token then expires. */
  redeem(token: string): string | undefined {
    if (!this.pendingToken || !equal(token, this.pendingToken)) return undefined;
    this.pendingToken = undefined;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }

  isValid(session: string | undefined): boolean {
    if (!session) return false;
    for (const known of this.sessions) if (equal(session, known)) return true;
    return false;
  }

  cookieHeader(session: string): string {
    return `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
