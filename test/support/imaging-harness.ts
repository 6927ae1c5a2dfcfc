/**
 * The imaging viewer alone in a page, for end-to-end tests that must not wait for the app's
 * layout: the dev harness (src/renderer/features/imaging/dev) built with the repo's Vite
 * config into test-results/, served with the app's CSP next to the real DICOMweb proxy over
 * the real demo PACS, with the encrypted cache.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'vite';
import { createDicomwebAdapter, endpointFromConfig } from '../../src/adapters/dicomweb/index.ts';
import { DEMO_PACS_PATIENT_ID } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { sendFetchResponse, toFetchRequest } from '../../src/main/host/fetch-bridge.ts';
import { type CacheStore, openCacheStore } from '../../src/main/services/cache/index.ts';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { withSecurityHeaders } from '../../src/main/services/security/index.ts';
import { serveStaticFile } from '../../src/main/services/static-files/index.ts';
import { buildTimeline } from '../../src/main/services/timeline/index.ts';
import { imagingStudyRefs, type ImagingStudyRef } from '../../src/renderer/features/imaging/imaging-study-refs.ts';
import { tempCacheDir, testProtector } from './cache-fixtures.ts';
import { startTestPacs, type TestPacs } from './pacs-orthanc.ts';

const REPO = join(import.meta.dirname, '..', '..');
export const HARNESS_OUT = join(REPO, 'test-results', 'imaging-harness');
export const HARNESS_PAGE = '/features/imaging/dev/harness.html';

export async function buildHarness(): Promise<void> {
  await build({
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    build: {
      outDir: HARNESS_OUT,
      emptyOutDir: true,
      rollupOptions: { input: join(REPO, 'src', 'renderer', 'features', 'imaging', 'dev', 'harness.html') },
    },
  });
}

export interface ImagingHarness {
  origin: string;
  pacs: TestPacs;
  cache: CacheStore;
  /** 张伟's studies, derived the way the app derives them: adapter → timeline → refs. */
  studies: ImagingStudyRef[];
  /** What the page gets as ImagingPanel props. */
  setProps(props: { initialStudyUid?: string; locale?: string; maskOverlay?: boolean }): void;
  close(): Promise<void>;
}

export async function startImagingHarness(): Promise<ImagingHarness> {
  const pacs = await startTestPacs();
  const dir = tempCacheDir('imaging-e2e');
  const cache = await openCacheStore({ directory: dir.dir, protector: testProtector() });
  const adapter = createDicomwebAdapter(pacs.config);
  const record = await adapter.fetchRecord(DEMO_PACS_PATIENT_ID, { signal: AbortSignal.timeout(20_000) });
  const studies = imagingStudyRefs(buildTimeline(record));
  const owned = new Set(studies.map((s) => s.studyUid));
  const proxy = createDicomwebProxy({
    sources: [{ sourceId: pacs.config.id, endpoint: endpointFromConfig(pacs.config) }],
    cache,
    patientKeyFor: (uid) => (owned.has(uid) ? 'patient-zhang-wei' : undefined),
  });
  let props: Record<string, unknown> = { studies, locale: 'zh-CN', maskOverlay: false };

  let origin = '';
  const server = createServer((req, res) => {
    const request = toFetchRequest(req, origin);
    const path = new URL(request.url).pathname;
    const answer =
      path === '/harness/studies.json'
        ? Promise.resolve(Response.json(props))
        : path.startsWith('/dicom-web/')
          ? proxy(request)
          : serveStaticFile(request, { rootDir: HARNESS_OUT });
    // A body that fails mid-stream has sent its headers already: cut the connection instead.
    answer
      .then((response) => sendFetchResponse(res, withSecurityHeaders(response)))
      .catch(() => (res.headersSent ? res.destroy() : res.writeHead(500).end()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pacs,
    cache,
    studies,
    setProps(next) {
      props = { studies, locale: 'zh-CN', maskOverlay: false, ...next };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pacs.pacs.stop();
      cache.close();
      dir.cleanup();
    },
  };
}
