/**
 * What the reader can still do when a study's images fail, decided from what is actually known
 * (which series of the study failed, which source the failure came from, whether a report is
 * linked) so the message never promises something that will fail too. The panel words it.
 */
import type { ImagingFailure, ImagingFailureCode } from './imaging-failure.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';

export type FailureHint =
  | { next: 'other-series'; report: boolean }
  | { next: 'other-studies'; studies: readonly ImagingStudyRef[]; report: boolean }
  | { next: 'record'; report: boolean };

/** Failures of the viewer or the workstation itself: no other image would load either. */
const WHOLE_VIEWER: ReadonlySet<ImagingFailureCode> = new Set(['setup', 'signed-out', 'no-answer']);
/** Failures of the PACS as a whole: its other series and studies fail the same way; another source's may not. */
const WHOLE_SOURCE: ReadonlySet<ImagingFailureCode> = new Set(['pacs-unreachable', 'pacs-timeout', 'pacs-credentials', 'unknown-source']);

export interface FailureHintInput {
  failure: ImagingFailure;
  /** The selected study; undefined when none is. */
  study: ImagingStudyRef | undefined;
  studies: readonly ImagingStudyRef[];
  /** The selected study's series, when its list came; undefined when the list failed or is still loading. */
  seriesUids: readonly string[] | undefined;
  seriesUid: string | undefined;
  /** Series of the selected study known to have failed (their thumbnails). */
  failedSeries: ReadonlySet<string>;
  hasReport: boolean;
}

export function failureHint(input: FailureHintInput): FailureHint {
  const { failure, study, studies, hasReport: report } = input;
  if (WHOLE_VIEWER.has(failure.code)) return { next: 'record', report };
  const sourceDown = WHOLE_SOURCE.has(failure.code);
  const otherSeries = (input.seriesUids ?? []).some((uid) => uid !== input.seriesUid && !input.failedSeries.has(uid));
  if (otherSeries && !sourceDown) return { next: 'other-series', report };
  const others = studies.filter((s) => s.studyUid !== study?.studyUid && !(sourceDown && s.sourceId === study?.sourceId));
  if (others.length > 0) return { next: 'other-studies', studies: others, report };
  return { next: 'record', report };
}

/** "2025-05-20 CT 胸部平扫": the date, then the modalities unless the description starts with them. */
export function studyName(s: ImagingStudyRef): string {
  const modalities = s.modalities.join('/');
  const title = modalities && !s.description.startsWith(s.modalities[0] ?? '') ? `${modalities} ${s.description}` : s.description;
  return [s.started?.slice(0, 10), title].filter(Boolean).join(' ');
}
