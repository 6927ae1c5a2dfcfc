import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { mimeTypeFor } from './mime-types.ts';

export type StaticFileRefusal =
  /** Not a clean URL path: backslash, NUL, bad percent-encoding, empty or dot segment, ':' … */
  | 'bad-path'
  /** Resolves (lexically or through a symlink) outside the root directory. */
  | 'outside-root'
  /** Nothing there, or a directory. */
  | 'not-found'
  /** The extension is not in the MIME table. */
  | 'unsupported-type';

export type ResolvedStaticFile =
  { ok: true; filePath: string; contentType: string; size: number } | { ok: false; reason: StaticFileRefusal };

const INDEX_FILE = 'index.html';

/**
 * Maps a URL path (as it appears in the request, still percent-encoded) to a regular file under
 * `rootDir`, refusing anything that could escape the root. The checks run on the raw path rather
 * than trusting a URL parser to have normalised it: the browser host receives raw request
 * targets from node:http, where `/..%2f` and `\` arrive untouched.
 */
export async function resolveStaticFile(rootDir: string, urlPath: string): Promise<ResolvedStaticFile> {
  const segments = decodeUrlPathSegments(urlPath);
  if (segments === undefined) return { ok: false, reason: 'bad-path' };
  if (segments.length === 0) segments.push(INDEX_FILE);

  const root = path.resolve(rootDir);
  const candidate = path.join(root, ...segments);
  if (!isInside(root, candidate)) return { ok: false, reason: 'outside-root' };

  const contentType = mimeTypeFor(candidate);
  if (contentType === undefined) return { ok: false, reason: 'unsupported-type' };

  // Symlinks: compare real paths so a link inside the root cannot point outside it.
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await realpath(root);
    realFile = await realpath(candidate);
  } catch {
    return { ok: false, reason: 'not-found' };
  }
  if (!isInside(realRoot, realFile)) return { ok: false, reason: 'outside-root' };

  const info = await stat(realFile).catch(() => undefined);
  if (!info?.isFile()) return { ok: false, reason: 'not-found' };
  return { ok: true, filePath: realFile, contentType, size: info.size };
}

/**
 * Splits and percent-decodes a URL path into file-name segments, or undefined if any part is
 * suspicious. A trailing slash means the directory's index file.
 */
function decodeUrlPathSegments(urlPath: string): string[] | undefined {
  if (!urlPath.startsWith('/')) return undefined;
  // Raw backslashes and NULs have no business in an asset URL; Windows treats `\` as a separator.
  if (/[\\\0]/.test(urlPath)) return undefined;
  const rawSegments = urlPath.slice(1).split('/');
  const wantsIndex = rawSegments.at(-1) === '';
  if (wantsIndex) rawSegments.pop();

  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (!isSafeSegment(segment)) return undefined;
    segments.push(segment);
  }
  if (wantsIndex && segments.length > 0) segments.push(INDEX_FILE);
  return segments;
}

/**
 * One decoded path segment must be a plain file or directory name: no separators (an encoded
 * `%2f` or `%5c` would otherwise smuggle one in), no NUL, no drive or stream colon, not empty
 * (`//` would make an absolute path on some joins), and no leading dot (`.`, `..`, and hidden
 * files such as `.env`).
 */
function isSafeSegment(segment: string): boolean {
  return segment.length > 0 && !segment.startsWith('.') && !/[/\\\0:]/.test(segment);
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
