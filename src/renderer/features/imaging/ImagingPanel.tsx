import { useRef, type KeyboardEvent } from 'react';
import { TAGS, numbers } from './dicom-json.ts';
import { failureReason, imagingLabel, type ImagingLabel } from './imaging-words.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';
import type { LinkedReport } from './imaging-report-refs.ts';
import { ImageOverlay } from './ImageOverlay.tsx';
import { orientationMarkers } from './orientation.ts';
import { overlayText } from './overlay-text.ts';
import { ReportPanel } from './ReportPanel.tsx';
import { StudySidebar } from './StudySidebar.tsx';
import { useCornerstoneViewer } from './use-cornerstone.ts';
import type { StackViewerActions } from './use-stack-viewer.ts';
import { useStudySeries } from './use-study-series.ts';
import { ViewerToolbar } from './ViewerToolbar.tsx';
import './imaging.css';

export interface ImagingPanelProps {
  studies: readonly ImagingStudyRef[];
  initialStudyUid?: string;
  locale: string;
  /** Mask patient name and ID in the image overlay (per role). */
  maskOverlay: boolean;
  /** The reports linked to each study (by Study Instance UID), shown beside the images. */
  reports?: ReadonlyMap<string, readonly LinkedReport[]>;
}

/** Arrow keys, Page Up/Down, Home and End scroll through the stack. */
function scrollKeys(actions: StackViewerActions, count: number) {
  return (e: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowUp: -1, ArrowDown: 1, PageUp: -10, PageDown: 10 }[e.key];
    if (step !== undefined) {
      e.preventDefault();
      actions.scrollBy(step);
    } else if (e.key === 'Home') {
      e.preventDefault();
      actions.scrollTo(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      actions.scrollTo(count - 1);
    }
  };
}

/**
 * The embedded viewer: studies (with priors of the same modality one click away), series
 * thumbnails, and one stack viewport with window/level, zoom, pan, invert, reset, cine and
 * measurements. Everything loads through the app's own DICOMweb endpoint.
 */
export function ImagingPanel({ studies, initialStudyUid, locale, maskOverlay, reports }: ImagingPanelProps) {
  const t = (key: ImagingLabel, params?: Record<string, string>) => imagingLabel(locale, key, params);
  const selection = useStudySeries(studies, initialStudyUid);
  const { studyUid, seriesList, seriesUid, loaded, loadError } = selection;
  const element = useRef<HTMLDivElement>(null);
  const { rendering, setupError, viewer, actions } = useCornerstoneViewer(element, loaded);

  if (studies.length === 0) {
    return (
      <div className="imaging imaging--empty" data-testid="imaging-panel" data-state="empty">
        {t('noStudies')}
      </div>
    );
  }

  const dataset = loaded?.datasets[viewer.index];
  const overlay = overlayText(dataset, maskOverlay);
  const markers = orientationMarkers(dataset ? numbers(dataset, TAGS.ImageOrientationPatient) : undefined);
  const failure = setupError ?? (seriesList.state === 'failed' ? seriesList.reason : undefined) ?? loadError ?? viewer.error;
  const state = failure ? 'failed' : viewer.ready ? 'ready' : 'loading';
  // What the reader can still do: another series of this study, or the rest of the record.
  const otherSeries = seriesList.state === 'ready' && seriesList.series.some((s) => s.seriesUid !== seriesUid);
  const onViewportKey = scrollKeys(actions, viewer.count);
  const studyReports = reports && studyUid ? (reports.get(studyUid) ?? []) : undefined;
  const hasReport = (studyReports?.length ?? 0) > 0;

  return (
    <div
      className={reports ? 'imaging imaging--with-report' : 'imaging'}
      data-testid="imaging-panel"
      data-state={state}
      data-rendering={rendering ?? ''}
      data-study-uid={studyUid ?? ''}
    >
      <StudySidebar studies={studies} selection={selection} rendering={rendering} locale={locale} t={t} />

      <div className="imaging__main">
        <ViewerToolbar viewer={viewer} actions={actions} t={t} />

        <div className="imaging__stage">
          <div
            ref={element}
            className="imaging__viewport"
            data-testid="imaging-viewport"
            data-focus-target
            tabIndex={0}
            role="img"
            aria-label={`${overlay.seriesDescription} ${t('image')} ${viewer.index + 1}/${viewer.count}`}
            data-image-index={viewer.index}
            data-image-count={viewer.count}
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
          <ImageOverlay overlay={overlay} markers={markers} viewer={viewer} masked={maskOverlay} t={t} />
          {failure && (
            <div className="imaging__message" role="alert" data-testid="imaging-error" data-code={failure.code}>
              {t('failed', { reason: failureReason(locale, failure) })} {t(otherSeries ? 'hint-other-series' : 'hint-record')}
              {hasReport && ` ${t('hint-report')}`}
            </div>
          )}
          {!failure && !viewer.ready && (
            <div className="imaging__message">{loaded && loaded.imageIds.length === 0 ? t('noImages') : t('loading')}</div>
          )}
        </div>

        <label className="imaging__slider">
          <span>{t('slider')}</span>
          <input
            type="range"
            data-testid="imaging-slider"
            min={0}
            max={Math.max(0, viewer.count - 1)}
            value={viewer.index}
            disabled={viewer.count < 2}
            onChange={(e) => actions.scrollTo(Number(e.target.value))}
          />
          <output>{viewer.count > 0 ? `${viewer.index + 1}/${viewer.count}` : ''}</output>
        </label>
      </div>

      {reports && <ReportPanel reports={studyReports} locale={locale} t={t} />}
    </div>
  );
}
