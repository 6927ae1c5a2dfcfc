export { createDicomwebProxy, type DicomwebProxy, type DicomwebProxyOptions, type DicomwebProxySource } from './dicomweb-proxy.ts';
export { isDicomUid, parseProxyRoute, type ProxyRoute, type RouteKind } from './proxy-route.ts';
