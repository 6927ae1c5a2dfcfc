import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { seriesDropTarget } from './compare-drag.ts';
import type { CompareSync } from './compare-sync.ts';
import { sameBodyPart } from './compare-layout.ts';
import { TAGS, numbers, type Dataset } from './dicom-json.ts';
import { failureOf, type ImagingFailure } from './imaging-failure.ts';
import { failureReason, type ImagingLabel } from './imaging-words.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';
import { ImageOverlay } from './ImageOverlay.tsx';
import { orientationMarkers } from './orientation.ts';
import { overlayText } from './overlay-text.ts';
import { listSeries, type LoadedSeries, type SeriesSummary } from './series-loader.ts';
import { datasetPlane, scrollLink } from './scroll-link.ts';
import { SliceSlider } from './SliceSlider.tsx';
import { datasetPosition, type SlicePlane } from './slice-position.ts';
import type { CellSpec } from './use-compare-layout.ts';
import { useStackViewer } from './use-stack-viewer.ts';
import { ViewerToolbar } from './ViewerToolbar.tsx';
import { ownWindow, windowChoices } from './window-choices.ts';
import { scrollKeys } from './viewport-keys.ts';

interface Listed {
  study: ImagingStudyRef;
  series?: SeriesSummary[];
  failure?: ImagingFailure;
}

/** The study's series and the chosen one's metadata (the largest series unless one was dropped here). */
function useCellSeries(
  study: ImagingStudyRef,
  seriesUid: string | undefined,
  seriesPromise: (of: ImagingStudyRef, summary: SeriesSummary) => Promise<LoadedSeries>,
) {
  const [listed, setListed] = useState<Listed>();
  useEffect(() => {
    const abort = new AbortController();
    listSeries(study.sourceId, study.studyUid, abort.signal).then(
      (series) => setListed({ study, series }),
      (error: unknown) => !abort.signal.aborted && setListed({ study, failure: failureOf(error) }),
    );
    return () => abort.abort();
  }, [study]);
  const list = listed?.study === study ? listed : undefined;
  const series = list?.series;
  const summary =
    series?.find((s) => s.seriesUid === seriesUid) ??
    [...(series ?? [])].sort((a, b) => (b.instanceCount ?? 0) - (a.instanceCount ?? 0))[0];
  // One promise per series, shared with the thumbnails (the loader caches it).
  const promise = summary ? seriesPromise(study, summary) : undefined;
  const [loadedOf, setLoadedOf] = useState<{ promise: Promise<LoadedSeries>; loaded?: LoadedSeries; failure?: ImagingFailure }>();
  useEffect(() => {
    if (!promise) return;
    let alive = true;
    promise.then(
      (loaded) => alive && setLoadedOf({ promise, loaded }),
      (error: unknown) => alive && setLoadedOf({ promise, failure: failureOf(error) }),
    );
    return () => {
      alive = false;
    };
  }, [promise]);
  const result = loadedOf?.promise === promise ? loadedOf : undefined;
  return { loaded: result?.loaded, failure: list?.failure ?? result?.failure };
}

export interface CompareCellProps {
  cell: number;
  study: ImagingStudyRef;
  spec: CellSpec;
  seriesPromise: (of: ImagingStudyRef, summary: SeriesSummary) => Promise<LoadedSeries>;
  sync: CompareSync;
  maskOverlay: boolean;
  locale: string;
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
  onSeries(spec: CellSpec): void;
  /** The toolbar acts on this viewport: it is drawn into `toolbarSlot`. */
  active: boolean;
  onActivate(): void;
  toolbarSlot: HTMLElement | null;
  /** The slice slider is drawn into `sliderSlot` while this viewport is active. */
  sliderSlot: HTMLElement | null;
  anchor: LinkAnchor;
}

/** The current study's viewport, which the others scroll with. */
export interface LinkAnchor {
  plane: SlicePlane;
  study: ImagingStudyRef | undefined;
  scrollLinked: boolean;
}

/** Why this viewport does not scroll with the current study, in words; undefined when it does (or linking is off). */
function unlinkedNote(anchor: LinkAnchor, study: ImagingStudyRef, dataset: Dataset | undefined, t: CompareCellProps['t']) {
  if (!anchor.scrollLinked || !dataset) return undefined;
  const same = !anchor.study || anchor.study === study || sameBodyPart(anchor.study, study);
  const link = scrollLink(anchor.plane, datasetPlane(dataset), same);
  if (link.linked) return undefined;
  const words =
    link.reason === 'not-parallel' ? t('unlinked-not-parallel', { angle: link.angle.toFixed(0) }) : t(`unlinked-${link.reason}`);
  return { reason: link.reason, words };
}

/** One more viewport of the comparison: a prior (or any series dropped on it), linked to the others through `sync`. */
export function CompareCell(props: CompareCellProps) {
  const { cell, study, spec, seriesPromise, sync, maskOverlay, locale, t, onSeries } = props;
  const { loaded, failure: loadFailure } = useCellSeries(study, spec.seriesUid, seriesPromise);
  const element = useRef<HTMLDivElement>(null);
  const onMounted = useCallback((viewport: Parameters<CompareSync['attach']>[1]) => sync.attach(cell, viewport), [sync, cell]);
  const [viewer, actions] = useStackViewer(element, loaded, onMounted);
  const dataset = loaded?.datasets[viewer.index];
  const position = datasetPosition(dataset);
  const failure = loadFailure ?? viewer.error;
  const unlinked = viewer.ready ? unlinkedNote(props.anchor, study, dataset, t) : undefined;
  return (
    <div
      className="imaging__cell"
      data-testid="imaging-compare-cell"
      data-cell={cell}
      data-study-uid={study.studyUid}
      data-state={failure ? 'failed' : viewer.ready ? 'ready' : 'loading'}
      data-active={props.active}
      data-scroll-link={unlinked ? unlinked.reason : props.anchor.scrollLinked ? 'linked' : 'off'}
      onPointerDownCapture={props.onActivate}
      onFocusCapture={props.onActivate}
      {...seriesDropTarget(onSeries)}
    >
      {props.active &&
        props.toolbarSlot &&
        createPortal(
          <ViewerToolbar viewer={viewer} actions={actions} windows={windowChoices(loaded?.modality, ownWindow(dataset))} t={t} />,
          props.toolbarSlot,
        )}
      {props.active &&
        props.sliderSlot &&
        createPortal(<SliceSlider cell={cell} viewer={viewer} actions={actions} t={t} />, props.sliderSlot)}
      <div
        ref={element}
        className="imaging__viewport"
        data-testid="imaging-compare-viewport"
        tabIndex={0}
        role="img"
        aria-label={`${study.description} ${t('image')} ${viewer.index + 1}/${viewer.count}`}
        data-image-index={viewer.index}
        data-image-count={viewer.count}
        data-slice-position={position?.toFixed(2) ?? ''}
        data-window-center={viewer.windowCenter ?? ''}
        data-window-width={viewer.windowWidth ?? ''}
        data-renders={viewer.renders}
        data-series-uid={loaded?.seriesUid ?? ''}
        onKeyDown={scrollKeys(actions, viewer.count)}
        onContextMenu={(e) => e.preventDefault()}
      />
      <ImageOverlay
        overlay={overlayText(dataset, maskOverlay)}
        markers={orientationMarkers(dataset ? numbers(dataset, TAGS.ImageOrientationPatient) : undefined)}
        viewer={viewer}
        masked={maskOverlay}
        position={position}
        testIdPrefix="imaging-compare"
        t={t}
      />
      {failure && (
        <div className="imaging__message" role="alert" data-testid="imaging-compare-error" data-code={failure.code}>
          {t('failed', { reason: failureReason(locale, failure) })}
        </div>
      )}
      {!failure && !viewer.ready && <div className="imaging__message">{t('loading')}</div>}
      {unlinked && (
        <div className="imaging__unlinked" role="status" data-testid="imaging-compare-unlinked" data-reason={unlinked.reason}>
          {unlinked.words}
        </div>
      )}
    </div>
  );
}
