import { DICOMWEB_ERROR_HEADER } from '../../../shared/api/dicomweb-errors.ts';
import type { FetchHandler } from '../api/index.ts';
import { parseProxyRoute } from '../dicomweb-proxy/index.ts';
import { auditUserOf } from './audit-port.ts';
import { maskInstanceAnswer } from './masked-instance.ts';
import type { SecuredApi } from './secured-api.ts';
import type { MaskLevel } from '../privacy/index.ts';

const STRICTNESS: Readonly<Record<MaskLevel, number>> = { none: 0, 'national-id': 1, full: 2 };
/** Privacy mode may be switched on while the PACS answers: the stricter of the two levels applies. */
const stricter = (a: MaskLevel, b: MaskLevel | undefined): MaskLevel => (b !== undefined && STRICTNESS[b] > STRICTNESS[a] ? b : a);

const refuse = (status: 400 | 401 | 403 | 404, message: string) =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * The viewer's DICOMweb endpoint behind the same rules as the API: only a study of a patient the
 * signed-in user opened (with access to images) is served; the first read of each study is an
 * audited image view; patient identity in metadata is masked as the session requires, and so is
 * a whole Part 10 instance (whose header carries identity): masked in place, or refused when it
 * cannot be, each masked instance audited as served masked. The viewer needs whole instances for
 * the frames a PACS cannot convert or serve (stored-instance.ts), radiologists included.
 */
export function secureDicomweb(proxy: FetchHandler, api: SecuredApi, prefix = '/dicom-web/'): FetchHandler {
  const viewed = new Set<string>();
  // One entry per instance and outcome: the viewer reads a multi-frame instance once per frame.
  const maskedAudited = new Set<string>();
  // A new sign-in is a new session: its first read of each study is on the record again.
  api.subscribe((event) => {
    if (event.type !== 'session.changed' || event.session.state !== 'signed-out') return;
    viewed.clear();
    maskedAudited.clear();
  });
  return async (request) => {
    const route = parseProxyRoute(new URL(request.url), prefix);
    if (!route.ok) return refuse(route.status, route.message);
    const levelAsked = api.maskLevel();
    if (levelAsked === undefined) return refuse(401, 'sign in (or unlock) to view images');
    const owner = api.canViewStudy(route.route.studyUid);
    if (!owner) return refuse(403, 'this study does not belong to a patient you have open with access to images');
    const key = `${owner.userId}|${route.route.studyUid}`;
    const user = api.session.currentUser();
    if (!viewed.has(key) && user) {
      await api.audit({
        action: 'image-view',
        outcome: 'success',
        user: auditUserOf(user),
        patient: { refs: owner.refs },
        entity: { type: 'ImagingStudy', id: route.route.studyUid },
      });
      viewed.add(key);
    }
    const response = await proxy(request);
    // The proxy refused an instance its study's series does not list: a composed path, on the record like any refusal.
    if (response.headers.get(DICOMWEB_ERROR_HEADER) === 'not-in-series' && user) {
      await api.audit({
        action: 'access-denied',
        outcome: 'denied',
        user: auditUserOf(user),
        patient: { refs: owner.refs },
        entity: {
          type: 'ImagingStudy',
          id: route.route.studyUid,
          detail: `${route.route.kind}: instance ${route.route.instanceUid ?? '?'} not in series ${route.route.seriesUid ?? '?'}`,
        },
      });
      return response;
    }
    const level = stricter(levelAsked, api.maskLevel());
    if (level !== 'none' && route.route.kind === 'instance' && response.ok && request.method === 'GET') {
      const masked = await maskInstanceAnswer(response, level, api.masking);
      const what = `instance ${route.route.instanceUid ?? '?'}`;
      const detail = masked.ok ? `${what} served masked (${level}; ${masked.blanked} values blanked)` : `${what} refused: ${masked.reason}`;
      if (user && !maskedAudited.has(`${key}|${detail}`)) {
        await api.audit({
          action: 'image-view',
          outcome: masked.ok ? 'success' : 'failure',
          user: auditUserOf(user),
          patient: { refs: owner.refs },
          entity: { type: 'ImagingStudy', id: route.route.studyUid, detail },
        });
        maskedAudited.add(`${key}|${detail}`);
      }
      return masked.response;
    }
    const type = response.headers.get('content-type') ?? '';
    if (level === 'none' || !response.ok || !type.includes('application/dicom+json')) return response;
    const masked = JSON.stringify(api.masking.dicomJson(await response.json(), level));
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('etag');
    return new Response(masked, { status: response.status, headers });
  };
}
