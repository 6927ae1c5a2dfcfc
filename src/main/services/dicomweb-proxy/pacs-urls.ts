/**
 * Maps URLs the PACS wrote into its answers (BulkDataURI, RetrieveURL, Content-Location) onto
 * the proxy's own path, so the renderer never learns where the PACS is. A URL that is not
 * below the PACS's DICOMweb root maps to nothing and is dropped by the callers.
 */

export interface UrlMapping {
  /** The PACS's DICOMweb root path, e.g. "/dicom-web" (the host is not compared: PACS build
   * these URLs from the Host header they were sent, which a reverse proxy may change). */
  pacsRootPath: string;
  /** Where the same resource is under the proxy, e.g. "app://huizhen/dicom-web/pacs". */
  proxyRoot: string;
}

const SAFE_REST = /^[A-Za-z0-9._,/-]+$/;

export function pacsRootPathOf(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, '');
}

export function mapPacsUrl(value: string, mapping: UrlMapping): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const root = `${mapping.pacsRootPath}/`;
  if (!url.pathname.startsWith(root) || url.search !== '' || url.username !== '' || url.password !== '') return undefined;
  const rest = url.pathname.slice(root.length);
  return SAFE_REST.test(rest) ? `${mapping.proxyRoot}/${rest}` : undefined;
}
