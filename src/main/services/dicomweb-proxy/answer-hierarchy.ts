import type { ProxyRoute } from './proxy-route.ts';

/**
 * Whether a DICOM JSON answer is about what the request named. Access is decided on the
 * request's Study UID (a study of the open patient); a PACS that resolves series or instances by
 * their own UID alone, ignoring the study in the path, would otherwise hand another patient's
 * metadata — names, identifiers — to a tab that put a stranger's Series UID under its patient's
 * study. Datasets that leave an attribute out are not held against it.
 */
export function answerMatchesRoute(route: ProxyRoute, datasets: readonly unknown[]): boolean {
  const expected: [string, string | undefined][] = [
    ['0020000D', route.studyUid],
    ['0020000E', route.kind === 'search-series' || route.kind === 'study-metadata' ? undefined : route.seriesUid],
    ['00080018', route.kind === 'instance-metadata' ? route.instanceUid : undefined],
  ];
  for (const dataset of datasets) {
    for (const [tag, uid] of expected) {
      if (uid === undefined) continue;
      const values = ((dataset as Record<string, { Value?: unknown[] } | undefined>)[tag]?.Value ?? []).filter(
        (v) => v !== undefined && v !== null,
      );
      if (values.some((v) => v !== uid)) return false;
    }
  }
  return true;
}
