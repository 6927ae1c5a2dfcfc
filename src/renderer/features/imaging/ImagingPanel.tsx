import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModalityLayout } from '../../../shared/config/imaging.ts';
import { CompareBar } from './CompareBar.tsx';
import { CompareGrid } from './CompareGrid.tsx';
import { LAYOUT_CELLS } from './compare-layout.ts';
import { createCompareSync, type CompareSync } from './compare-sync.ts';
import { TAGS, numbers } from './dicom-json.ts';
import { failureHint } from './failure-hint.ts';
import { FailureMessage } from './FailureMessage.tsx';
import { imagingLabel, type ImagingLabel } from './imaging-words.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';
import type { LinkedOrder } from './imaging-order-refs.ts';
import type { LinkedReport } from './imaging-report-refs.ts';
import { ImageOverlay } from './ImageOverlay.tsx';
import { PaneToggles } from './PaneToggles.tsx';
import { orientationMarkers } from './orientation.ts';
import { overlayText } from './overlay-text.ts';
import { ReportPanel } from './ReportPanel.tsx';
import { datasetPlane } from './scroll-link.ts';
import { SliceSlider } from './SliceSlider.tsx';
import { INITIAL } from './stack-viewer-state.ts';
import { datasetPosition } from './slice-position.ts';
import { StudySidebar } from './StudySidebar.tsx';
import { useCompareLayout, type CellSpec } from './use-compare-layout.ts';
import { useCornerstoneViewer } from './use-cornerstone.ts';
import { useFailedSeries } from './use-failed-series.ts';
import { useFullscreen } from './use-fullscreen.ts';
import { useStudySeries, type StudySeries } from './use-study-series.ts';
import { useViewerPanes } from './use-viewer-panes.ts';
import { ViewerToolbar } from './ViewerToolbar.tsx';
import { ownWindow, windowChoices } from './window-choices.ts';
import { compareKeys, scrollKeys } from './viewport-keys.ts';
import './imaging.css';

export interface ImagingPanelProps {
  studies: readonly ImagingStudyRef[];
  initialStudyUid?: string;
  locale: string;
  /** Mask patient name and ID in the image overlay (per role). */
  maskOverlay: boolean;
  /** The reports linked to each study (by Study Instance UID), shown beside the images. */
  reports?: ReadonlyMap<string, readonly LinkedReport[]>;
  /** The orders behind each study (by Study Instance UID), shown above its report, also when none exists yet. */
  orders?: ReadonlyMap<string, readonly LinkedOrder[]>;
  /** The layout opening a study shows, per modality (configuration `imaging.defaultLayouts`); defaults when absent. */
  defaultLayouts?: Readonly<Record<string, ModalityLayout>>;
}

/** The linked viewports' scrolling and window; scrolling is linked from the start, the window on request. */
function useLinks(sync: CompareSync) {
  const [links, setLinks] = useState({ scroll: true, window: false });
  return {
    scrollLinked: links.scroll,
    windowLinked: links.window,
    toggleScrollLinked: () => {
      setLinks({ ...links, scroll: !links.scroll });
      sync.setScrollLinked(!links.scroll);
    },
    toggleWindowLinked: () => {
      setLinks({ ...links, window: !links.window });
      sync.setWindowLinked(!links.window);
    },
  };
}

/** True from the first render where `now` is true on: a gate that never closes again. */
function useOnceTrue(now: boolean): boolean {
  const [was, setWas] = useState(false);
  if (now && !was) setWas(true);
  return was || now;
}

/** What the panel's keys do to full screen. */
const fullscreenKeys = (f: ReturnType<typeof useFullscreen>) => ({ toggleFullscreen: f.toggle, exitFullscreen: f.exit });

/** Something dropped on the main viewport: another series of this study, or another study. */
function showInMain(selection: StudySeries, spec: CellSpec): void {
  if (spec.studyUid !== selection.studyUid) selection.selectStudy(spec.studyUid);
  else if (spec.seriesUid) selection.selectSeries(spec.seriesUid);
}

/**
 * The embedded viewer: studies (with priors of the same modality one click away), series
 * thumbnails, and stack viewports side by side (the current study and its priors, scrolling
 * linked by slice position) with window/level, zoom, pan, invert, reset, cine and measurements
 * on the main one. Everything loads through the app's own DICOMweb endpoint.
 */
export function ImagingPanel({ studies, initialStudyUid, locale, maskOverlay, reports, orders, defaultLayouts }: ImagingPanelProps) {
  const t = (key: ImagingLabel, params?: Record<string, string>) => imagingLabel(locale, key, params);
  const selection = useStudySeries(studies, initialStudyUid);
  const { studyUid, seriesList, seriesUid, loaded, loadError } = selection;
  const element = useRef<HTMLDivElement>(null);
  const [sync] = useState(() => createCompareSync({ scroll: true, window: false }));
  useEffect(() => () => sync.destroy(), [sync]);
  useEffect(() => sync.setStudies(studies), [sync, studies]);
  const attachMain = useCallback((viewport: Parameters<CompareSync['attach']>[1]) => sync.attach(0, viewport), [sync]);
  const { rendering, setupError, viewer: live, actions } = useCornerstoneViewer(element, loaded, attachMain);
  // The stack viewer's state outlives its series (a study switch, a series list that failed): with
  // no series of this study loaded, nothing of the previous one (index, window, error) may be read out.
  const viewer = loaded ? live : INITIAL;
  const compare = useCompareLayout(selection.study, studies, defaultLayouts);
  const links = useLinks(sync);
  const mainArea = useRef<HTMLDivElement>(null);
  const [toolbarSlot, setToolbarSlot] = useState<HTMLDivElement | null>(null);
  const [sliderSlot, setSliderSlot] = useState<HTMLDivElement | null>(null);
  const [active, setActive] = useState(0);
  // A viewport beyond the layout is gone: the tools fall back to the current study's.
  const activeCell = active < LAYOUT_CELLS[compare.layout] && (active === 0 || compare.cells[active - 1]) ? active : 0;
  const fullscreen = useFullscreen(mainArea, 'imaging__main');
  // The first image before anything else: thumbnails and the other viewports start once the main
  // viewport has shown it (or cannot), so their metadata, frames and decodes do not queue ahead of it.
  const mainSettled = viewer.ready || loaded?.imageIds.length === 0 || !!(setupError || loadError || viewer.error);
  const started = useOnceTrue(mainSettled || seriesList.state === 'failed') ? rendering : undefined;
  const { failedSeries, onSeriesState } = useFailedSeries(studyUid);
  const { panes, toggle: togglePane, showReport } = useViewerPanes(mainArea);

  if (studies.length === 0) {
    return (
      <div className="imaging imaging--empty" data-testid="imaging-panel" data-state="empty">
        {t('noStudies')}
      </div>
    );
  }

  const dataset = loaded?.datasets[viewer.index];
  const overlay = overlayText(dataset, maskOverlay);
  const windows = windowChoices(loaded?.modality, ownWindow(dataset));
  const markers = orientationMarkers(dataset ? numbers(dataset, TAGS.ImageOrientationPatient) : undefined);
  const failure = setupError ?? (seriesList.state === 'failed' ? seriesList.reason : undefined) ?? loadError ?? viewer.error;
  const state = failure ? 'failed' : viewer.ready ? 'ready' : 'loading';
  const onViewportKey = scrollKeys(actions, viewer.count);
  const onPanelKey = compareKeys({ ...links, setLayout: compare.setLayout, ...fullscreenKeys(fullscreen) });
  const position = datasetPosition(dataset);
  const studyReports = reports && studyUid ? (reports.get(studyUid) ?? []) : undefined;
  const hasReport = (studyReports?.length ?? 0) > 0;
  // What the reader can still do, from what is known to have failed (never a series or study that failed too).
  const hint = failure
    ? failureHint({
        failure,
        study: selection.study,
        studies,
        seriesUids: seriesList.state === 'ready' ? seriesList.series.map((s) => s.seriesUid) : undefined,
        seriesUid,
        failedSeries,
        hasReport,
      })
    : undefined;
  const paneClass = `${reports && panes.report ? ' imaging--with-report' : ''}${panes.studies ? '' : ' imaging--studies-closed'}`;

  return (
    <div
      className={`imaging${paneClass}`}
      data-testid="imaging-panel"
      data-state={state}
      data-rendering={rendering ?? ''}
      data-study-uid={studyUid ?? ''}
    >
      {panes.studies && (
        <StudySidebar
          studies={studies}
          selection={selection}
          rendering={started}
          locale={locale}
          t={t}
          onCompare={(uid) => compare.show({ studyUid: uid })}
          onSeriesState={onSeriesState}
        />
      )}

      <div className="imaging__main" ref={mainArea} data-testid="imaging-main" data-fullscreen={fullscreen.active} onKeyDown={onPanelKey}>
        {/* One band of tools over the images: the grid below gets every pixel of height left. */}
        <div className="imaging__bars">
          {/* The tools act on the active viewport: the current study's here, another's through the slot. */}
          <div ref={setToolbarSlot} className="imaging__toolbar-slot" data-active-cell={activeCell}>
            {activeCell === 0 && <ViewerToolbar viewer={viewer} actions={actions} windows={windows} t={t} />}
          </div>
          <CompareBar
            layout={compare.layout}
            fullscreen={fullscreen.active}
            t={t}
            {...links}
            setLayout={compare.setLayout}
            toggleFullscreen={fullscreen.toggle}
          />
        </div>

        <CompareGrid
          layout={compare.layout}
          cells={compare.cells}
          studies={studies}
          started={started !== undefined}
          seriesPromise={selection.seriesPromise}
          sync={sync}
          maskOverlay={maskOverlay}
          locale={locale}
          t={t}
          onShow={(spec, cell) => (cell === 0 ? showInMain(selection, spec) : compare.show(spec, cell))}
          active={activeCell}
          onActivate={setActive}
          toolbarSlot={toolbarSlot}
          sliderSlot={sliderSlot}
          anchor={{ plane: datasetPlane(dataset), study: selection.study, scrollLinked: links.scrollLinked }}
          main={
            <div className="imaging__stage">
              <div
                // A viewport element per study: the previous study's canvas goes with it at once, even when no series of this one comes.
                key={studyUid}
                ref={element}
                className="imaging__viewport"
                data-testid="imaging-viewport"
                data-focus-target
                tabIndex={0}
                role="img"
                aria-label={`${overlay.seriesDescription} ${t('image')} ${viewer.index + 1}/${viewer.count}`}
                data-image-index={viewer.index}
                data-image-count={viewer.count}
                data-slice-position={position?.toFixed(2) ?? ''}
                data-window-center={viewer.windowCenter ?? ''}
                data-window-width={viewer.windowWidth ?? ''}
                data-invert={viewer.invert}
                data-tool={viewer.tool}
                data-measurements={viewer.measurements}
                data-renders={viewer.renders}
                data-series-uid={loaded?.seriesUid ?? ''}
                onKeyDown={onViewportKey}
                onContextMenu={(e) => e.preventDefault()}
              />
              <ImageOverlay overlay={overlay} markers={markers} viewer={viewer} masked={maskOverlay} position={position} t={t} />
              {failure && hint && <FailureMessage failure={failure} hint={hint} locale={locale} t={t} onShowReport={showReport} />}
              {!failure && !viewer.ready && (
                <div className="imaging__message">{loaded && loaded.imageIds.length === 0 ? t('noImages') : t('loading')}</div>
              )}
            </div>
          }
        />

        <div className="imaging__foot">
          <PaneToggles panes={panes} which={['studies']} t={t} toggle={togglePane} />
          {/* The slider moves and reads the active viewport: the current study's here, another's through the slot. */}
          <div ref={setSliderSlot} className="imaging__slider-slot" data-active-cell={activeCell}>
            {activeCell === 0 && <SliceSlider cell={0} viewer={viewer} actions={actions} t={t} />}
          </div>
          <PaneToggles panes={panes} which={reports !== undefined ? ['report'] : []} t={t} toggle={togglePane} />
        </div>
      </div>

      {reports && panes.report && <ReportPanel reports={studyReports} orders={orders?.get(studyUid ?? '')} locale={locale} t={t} />}
    </div>
  );
}
