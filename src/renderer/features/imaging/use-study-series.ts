import { useEffect, useRef, useState } from 'react';
import { seriesShownFirst } from './early-requests.ts';
import { loadFirstImageEarly } from './first-image.ts';
import { failureOf, type ImagingFailure } from './imaging-failure.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';
import { listSeries, loadSeries, type LoadedSeries, type SeriesSummary } from './series-loader.ts';

/** The series of one study; `study` says which, so a list never outlives a study switch. */
export type SeriesList =
  { state: 'loading' } | { state: 'ready'; study: ImagingStudyRef; series: SeriesSummary[] } | { state: 'failed'; reason: ImagingFailure };

export interface StudySeries {
  studyUid: string | undefined;
  study: ImagingStudyRef | undefined;
  selectStudy(uid: string): void;
  seriesList: SeriesList;
  seriesUid: string | undefined;
  selectSeries(uid: string): void;
  /** The selected series' metadata, once loaded. */
  loaded: LoadedSeries | undefined;
  loadError: ImagingFailure | undefined;
  /** One metadata request per series, shared by its thumbnail and the viewport. */
  seriesPromise(of: ImagingStudyRef, summary: SeriesSummary): Promise<LoadedSeries>;
}

/** Which study and series are selected, their series list and the selected series' metadata, loaded as the selection changes. */
const LOADING: SeriesList = { state: 'loading' };

/** A result tagged with the study it belongs to: read back only while that study is selected, so a study switch needs no reset. */
interface OfStudy<T> {
  study: ImagingStudyRef;
  value: T;
}

/** Which study and series are selected, their series list and the selected series' metadata, loaded as the selection changes. */
export function useStudySeries(studies: readonly ImagingStudyRef[], initialStudyUid: string | undefined): StudySeries {
  const [studyUid, setStudyUid] = useState(() => studies.find((s) => s.studyUid === initialStudyUid)?.studyUid ?? studies[0]?.studyUid);
  // A new study asked for from outside (a timeline entry) selects it once it is among the studies.
  const [asked, setAsked] = useState({ initialStudyUid, studies });
  if (asked.initialStudyUid !== initialStudyUid || asked.studies !== studies) {
    setAsked({ initialStudyUid, studies });
    if (initialStudyUid && studies.some((s) => s.studyUid === initialStudyUid)) setStudyUid(initialStudyUid);
  }
  const study = studies.find((s) => s.studyUid === studyUid);

  const [listed, setListed] = useState<OfStudy<SeriesList>>();
  const seriesList: SeriesList = study && listed?.study === study ? listed.value : LOADING;
  const [picked, setPicked] = useState<OfStudy<string | undefined>>();
  const seriesUid = study && picked?.study === study ? picked.value : undefined;
  const [loadedOf, setLoadedOf] = useState<OfStudy<LoadedSeries>>();
  // The previous series stays on screen while the next one's metadata loads; a study switch clears it.
  const loaded = study && loadedOf?.study === study ? loadedOf.value : undefined;
  const [failed, setFailed] = useState<{ seriesList: SeriesList; seriesUid: string; reason: ImagingFailure }>();
  const loadError = failed && failed.seriesList === seriesList && failed.seriesUid === seriesUid ? failed.reason : undefined;

  const seriesPromises = useRef(new Map<string, Promise<LoadedSeries>>());
  const seriesPromise = (of: ImagingStudyRef, summary: SeriesSummary): Promise<LoadedSeries> => {
    const key = `${of.sourceId}/${of.studyUid}/${summary.seriesUid}`;
    let p = seriesPromises.current.get(key);
    if (!p) {
      p = loadSeries(of.sourceId, of.studyUid, summary);
      // A failed load may be retried by selecting the series again.
      p.catch(() => seriesPromises.current.delete(key));
      seriesPromises.current.set(key, p);
    }
    return p;
  };

  useEffect(() => {
    if (!study) return;
    const abort = new AbortController();
    listSeries(study.sourceId, study.studyUid, abort.signal).then(
      (series) => {
        setListed({ study, value: { state: 'ready', study, series } });
        // The series with the most images first: the stack a reader starts with.
        const first = seriesShownFirst(series);
        setPicked({ study, value: first?.seriesUid });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setListed({ study, value: { state: 'failed', reason: failureOf(error) } });
      },
    );
    return () => abort.abort();
  }, [study]);

  useEffect(() => {
    if (seriesList.state !== 'ready' || !seriesUid) return;
    const summary = seriesList.series.find((s) => s.seriesUid === seriesUid);
    if (!summary) return;
    let alive = true;
    seriesPromise(seriesList.study, summary).then(
      (series) => {
        if (!alive) return;
        loadFirstImageEarly(series.imageIds);
        setLoadedOf({ study: seriesList.study, value: series });
      },
      (error: unknown) => alive && setFailed({ seriesList, seriesUid, reason: failureOf(error) }),
    );
    return () => {
      alive = false;
    };
  }, [seriesList, seriesUid]);

  const selectSeries = (uid: string) => study && setPicked({ study, value: uid });
  return { studyUid, study, selectStudy: setStudyUid, seriesList, seriesUid, selectSeries, loaded, loadError, seriesPromise };
}
