export { createDicomwebProxy } from './dicomweb-proxy.ts';
export type { DicomwebProxy } from './dicomweb-proxy.ts';
export { boundaryOf, splitMultipart } from './multipart.ts';
export { parseProxyRoute } from './proxy-route.ts';
