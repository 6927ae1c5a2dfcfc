export { mimeTypeFor } from './mime-types.ts';
export { resolveStaticFile, type ResolvedStaticFile, type StaticFileRefusal } from './resolve-static-file.ts';
export { serveStaticFile, type ServeStaticFileOptions } from './serve-static-file.ts';
