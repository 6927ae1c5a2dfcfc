import { useEffect, useRef, useState } from 'react';
import { failureOf, type ImagingFailure } from './imaging-failure.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';
import { listSeries, loadSeries, type LoadedSeries, type SeriesSummary } from './series-loader.ts';

/** The series of one study; `study` says which, so a list never outlives a study switch. */
export type SeriesList = { state: 'loading' } | { state: 'ready'; study: ImagingStudyRef; series: SeriesSummary[] } | { state: 'failed'; reason: ImagingFailure };

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
export function useStudySeries(studies: readonly ImagingStudyRef[], initialStudyUid: string | undefined): StudySeries {
  const [studyUid, setStudyUid] = useState(() => studies.find((s) => s.studyUid === initialStudyUid)?.studyUid ?? studies[0]?.studyUid);
  const study = studies.find((s) => s.studyUid === studyUid);
  const [seriesList, setSeriesList] = useState<SeriesList>({ state: 'loading' });
  const [seriesUid, setSeriesUid] = useState<string | undefined>();
  const [loaded, setLoaded] = useState<LoadedSeries | undefined>();
  const [loadError, setLoadError] = useState<ImagingFailure | undefined>();

  useEffect(() => {
    if (initialStudyUid && studies.some((s) => s.studyUid === initialStudyUid)) setStudyUid(initialStudyUid);
  }, [initialStudyUid, studies]);

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
    setSeriesList({ state: 'loading' });
    setLoaded(undefined);
    setSeriesUid(undefined);
    listSeries(study.sourceId, study.studyUid, abort.signal).then(
      (series) => {
        setSeriesList({ state: 'ready', study, series });
        // The series with the most images first: the stack a reader starts with.
        const first = [...series].sort((a, b) => (b.instanceCount ?? 0) - (a.instanceCount ?? 0))[0];
        setSeriesUid(first?.seriesUid);
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setSeriesList({ state: 'failed', reason: failureOf(error) });
      },
    );
    return () => abort.abort();
  }, [study]);

  useEffect(() => {
    if (seriesList.state !== 'ready' || !seriesUid) return;
    const summary = seriesList.series.find((s) => s.seriesUid === seriesUid);
    if (!summary) return;
    let alive = true;
    setLoadError(undefined);
    seriesPromise(seriesList.study, summary).then(
      (series) => alive && setLoaded(series),
      (error: unknown) => alive && setLoadError(failureOf(error)),
    );
    return () => {
      alive = false;
    };
  }, [seriesList, seriesUid]);

  return { studyUid, study, selectStudy: setStudyUid, seriesList, seriesUid, selectSeries: setSeriesUid, loaded, loadError, seriesPromise };
}
