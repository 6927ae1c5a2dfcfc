/** Optional credentials the demo server demands, to test clients' basic, bearer and SMART auth. */
import { timingSafeEqual } from 'node:crypto';
import type { SmartServerOptions } from './smart-authorization-server.ts';

export type StaticServerAuth = { type: 'none' } | { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };
/** SMART Backend Services: tokens from the server's own /auth/token endpoint. */
export type SmartServerAuth = { type: 'smart' } & SmartServerOptions;
export type FhirServerAuth = StaticServerAuth | SmartServerAuth;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function expectedAuthorization(auth: StaticServerAuth): string | undefined {
  switch (auth.type) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
  }
}

export function isAuthorized(auth: StaticServerAuth, header: string | undefined): boolean {
  const expected = expectedAuthorization(auth);
  return expected === undefined || (header !== undefined && same(header, expected));
}
