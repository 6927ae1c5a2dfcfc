import type { FetchHandler } from '../api/index.ts';
import { parseProxyRoute } from '../dicomweb-proxy/index.ts';
import { auditUserOf } from './audit-port.ts';
import type { SecuredApi } from './secured-api.ts';

const refuse = (status: 400 | 401 | 403 | 404, message: string) =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * The viewer's DICOMweb endpoint behind the same rules as the API: only a study of a patient the
 * signed-in user opened (with access to images) is served; the first read of each study is an
 * audited image view; patient identity in metadata is masked as the session requires, and whole
 * Part 10 instances (which carry identity in their header) are refused while masking applies.
 */
export function secureDicomweb(proxy: FetchHandler, api: SecuredApi, prefix = '/dicom-web/'): FetchHandler {
  const viewed = new Set<string>();
  return async (request) => {
    const route = parseProxyRoute(new URL(request.url), prefix);
    if (!route.ok) return refuse(route.status, route.message);
    const level = api.maskLevel();
    if (level === undefined) return refuse(401, 'sign in (or unlock) to view images');
    const owner = api.canViewStudy(route.route.studyUid);
    if (!owner) return refuse(403, 'this study does not belong to a patient you have open with access to images');
    if (level !== 'none' && route.route.kind === 'instance') {
      return refuse(403, 'whole DICOM instances carry patient identity and are not served while identity is masked');
    }
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
    const type = response.headers.get('content-type') ?? '';
    if (level === 'none' || !response.ok || !type.includes('application/dicom+json')) return response;
    const masked = JSON.stringify(api.masking.dicomJson(await response.json(), level));
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('etag');
    return new Response(masked, { status: response.status, headers });
  };
}
