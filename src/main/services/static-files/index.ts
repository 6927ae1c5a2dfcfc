export { serveStaticFile } from './serve-static-file.ts';
