/** Optional credentials the demo server demands, to test clients' basic and bearer auth. */
import { timingSafeEqual } from 'node:crypto';

export type FhirServerAuth = { type: 'none' } | { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function expectedAuthorization(auth: FhirServerAuth): string | undefined {
  switch (auth.type) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
  }
}

export function isAuthorized(auth: FhirServerAuth, header: string | undefined): boolean {
  const expected = expectedAuthorization(auth);
  return expected === undefined || (header !== undefined && same(header, expected));
}
