import { join } from 'node:path';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { DeidentifiedExporter } from '../access/index.ts';
import type { FetchHandler } from '../api/index.ts';
import { boundaryOf, splitMultipart } from '../dicomweb-proxy/index.ts';
import { deidentifyTimeline, type StudyInstanceInput, writeDeidentifiedStudy, writeFileAtomic } from '../privacy/index.ts';

/** One folder per export, named by time only: nothing in a path names the patient. */
function exportFolder(root: string, kind: string, now: Date): string {
  return join(root, `${now.toISOString().replace(/[:.]/g, '-')}-${kind}`);
}

const uidOf = (dataset: Record<string, { Value?: unknown[] }>, tag: string) => {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Every instance of a study, as Part 10 bytes, read through the app's own DICOMweb endpoint
 * (so from the encrypted cache when there, else the PACS): series → instances → each instance.
 */
async function* studyInstances(dicomweb: FetchHandler, sourceId: string, studyUid: string): AsyncIterable<StudyInstanceInput> {
  const base = `http://huizhen.invalid/dicom-web/${sourceId}/studies/${studyUid}`;
  type Listing = { failed: string } | { items: Record<string, { Value?: unknown[] }>[] };
  const json = async (url: string): Promise<Listing> => {
    const response = await dicomweb(new Request(url, { headers: { accept: 'application/dicom+json' } }));
    if (!response.ok) {
      await response.body?.cancel();
      return { failed: `${url.replace(`${base}/`, '')} (the PACS answered ${response.status})` };
    }
    return { items: (await response.json()) as Record<string, { Value?: unknown[] }>[] };
  };
  // A list the PACS did not give (it hung past its deadline: 504) is a failure named like an
  // instance's, so the export ends with what it wrote and what it could not, never a bare error.
  const seriesList = await json(`${base}/series`);
  if ('failed' in seriesList) {
    yield { name: seriesList.failed, bytes: new Uint8Array() };
    return;
  }
  for (const series of seriesList.items) {
    const seriesUid = uidOf(series, '0020000E');
    if (!seriesUid) continue;
    const instances = await json(`${base}/series/${seriesUid}/instances`);
    if ('failed' in instances) {
      yield { name: instances.failed, bytes: new Uint8Array() };
      continue;
    }
    for (const instance of instances.items) {
      const sopUid = uidOf(instance, '00080018');
      if (!sopUid) continue;
      const name = `instance ${sopUid}`;
      const response = await dicomweb(
        new Request(`${base}/series/${seriesUid}/instances/${sopUid}`, {
          headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
        }),
      );
      const boundary = boundaryOf(response.headers.get('content-type') ?? '');
      const split = response.ok && boundary ? splitMultipart(new Uint8Array(await response.arrayBuffer()), boundary) : undefined;
      // A failed retrieval becomes an empty instance, which the de-identifier reports by name.
      yield {
        name: response.ok ? name : `${name} (the PACS answered ${response.status})`,
        bytes: split?.ok && split.parts[0] ? split.parts[0].body : new Uint8Array(),
      };
    }
  }
}

/** De-identified exports into a folder of their own under `root` (0700), written crash-safely. */
export function createDeidentifiedExporter(options: {
  root: string;
  privacy: PrivacyConfig;
  dicomweb: FetchHandler | undefined;
  clock?: () => Date;
}): DeidentifiedExporter {
  const clock = options.clock ?? (() => new Date());
  return {
    async timeline(entries: readonly TimelineEntry[]) {
      const directory = exportFolder(options.root, 'timeline', clock());
      const bundle = deidentifyTimeline(entries, { config: options.privacy });
      await writeFileAtomic(directory, 'timeline.fhir.json', Buffer.from(JSON.stringify(bundle, null, 2)));
      return { directory, files: 1, failures: [] };
    },
    async study(studyInstanceUid, sourceId) {
      if (!options.dicomweb) throw new Error('no PACS is configured');
      const directory = exportFolder(options.root, 'study', clock());
      const report = await writeDeidentifiedStudy(directory, studyInstances(options.dicomweb, sourceId, studyInstanceUid));
      return { directory, files: report.written.length, failures: report.failed.map((f) => `${f.instance}: ${f.message}`) };
    },
  };
}
