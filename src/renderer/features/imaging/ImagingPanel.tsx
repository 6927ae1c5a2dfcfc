import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ensureCornerstone, type RenderingPath } from './cornerstone-setup.ts';
import { releaseImagingMemory } from './image-memory.ts';
import { TAGS, numbers } from './dicom-json.ts';
import { failureOf, type ImagingFailure } from './imaging-failure.ts';
import { failureReason, imagingLabel, type ImagingLabel } from './imaging-words.ts';
import { priorStudies, type ImagingStudyRef } from './imaging-study-refs.ts';
import { orientationMarkers } from './orientation.ts';
import { overlayText } from './overlay-text.ts';
import { listSeries, loadSeries, type LoadedSeries, type SeriesSummary } from './series-loader.ts';
import { SeriesThumbnail } from './SeriesThumbnail.tsx';
import { useStackViewer, type PrimaryTool } from './use-stack-viewer.ts';
import { WINDOW_PRESETS } from './window-presets.ts';
import './imaging.css';

export interface ImagingPanelProps {
  studies: readonly ImagingStudyRef[];
  initialStudyUid?: string;
  locale: string;
  /** Mask patient name and ID in the image overlay (per role). */
  maskOverlay: boolean;
}

const TOOLS: readonly PrimaryTool[] = ['window-level', 'pan', 'zoom', 'length', 'angle', 'ellipse'];
const CINE_RATES = [5, 10, 15, 25] as const;

/** The series of one study; `study` says which, so a list never outlives a study switch. */
/** Modalities then description, without repeating a modality the description starts with ("CT 胸部平扫"). */
function studyTitle(s: ImagingStudyRef): string {
  const modalities = s.modalities.join('/');
  return modalities && !s.description.startsWith(s.modalities[0] ?? '') ? `${modalities} ${s.description}` : s.description;
}

type SeriesList = { state: 'loading' } | { state: 'ready'; study: ImagingStudyRef; series: SeriesSummary[] } | { state: 'failed'; reason: ImagingFailure };

/**
 * The embedded viewer: studies (with priors of the same modality one click away), series
 * thumbnails, and one stack viewport with window/level, zoom, pan, invert, reset, cine and
 * measurements. Everything loads through the app's own DICOMweb endpoint.
 */
export function ImagingPanel({ studies, initialStudyUid, locale, maskOverlay }: ImagingPanelProps) {
  const t = (key: ImagingLabel, params?: Record<string, string>) => imagingLabel(locale, key, params);
  const [rendering, setRendering] = useState<RenderingPath | undefined>();
  const [setupError, setSetupError] = useState<ImagingFailure | undefined>();
  const [studyUid, setStudyUid] = useState(() => studies.find((s) => s.studyUid === initialStudyUid)?.studyUid ?? studies[0]?.studyUid);
  const study = studies.find((s) => s.studyUid === studyUid);
  const [seriesList, setSeriesList] = useState<SeriesList>({ state: 'loading' });
  const [seriesUid, setSeriesUid] = useState<string | undefined>();
  const [loaded, setLoaded] = useState<LoadedSeries | undefined>();
  const [loadError, setLoadError] = useState<ImagingFailure | undefined>();
  const [fps, setFps] = useState<number>(10);
  const element = useRef<HTMLDivElement>(null);
  // The series index and metadata load while Cornerstone starts; the viewport waits for both.
  const [viewer, actions] = useStackViewer(element, rendering ? loaded : undefined);

  useEffect(() => {
    ensureCornerstone().then(setRendering, (error: unknown) => setSetupError({ code: 'setup', detail: error instanceof Error ? error.message : String(error) }));
    // After the viewport's own cleanup (declared earlier, so it runs first): this patient's images go.
    return releaseImagingMemory;
  }, []);

  useEffect(() => {
    if (initialStudyUid && studies.some((s) => s.studyUid === initialStudyUid)) setStudyUid(initialStudyUid);
  }, [initialStudyUid, studies]);

  // One metadata request per series, shared by its thumbnail and the viewport.
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

  if (studies.length === 0) {
    return (
      <div className="imaging imaging--empty" data-testid="imaging-panel" data-state="empty">
        {t('noStudies')}
      </div>
    );
  }

  const priors = study ? priorStudies(study, studies) : [];
  const dataset = loaded?.datasets[viewer.index];
  const overlay = overlayText(dataset, maskOverlay);
  const markers = orientationMarkers(dataset ? numbers(dataset, TAGS.ImageOrientationPatient) : undefined);
  const failure = setupError ?? (seriesList.state === 'failed' ? seriesList.reason : undefined) ?? loadError ?? viewer.error;
  const state = failure ? 'failed' : viewer.ready ? 'ready' : 'loading';
  // What the reader can still do: another series of this study, or the rest of the record.
  const otherSeries = seriesList.state === 'ready' && seriesList.series.some((s) => s.seriesUid !== seriesUid);

  const onViewportKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowUp: -1, ArrowDown: 1, PageUp: -10, PageDown: 10 }[e.key];
    if (step !== undefined) {
      e.preventDefault();
      actions.scrollBy(step);
    } else if (e.key === 'Home') {
      e.preventDefault();
      actions.scrollTo(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      actions.scrollTo(viewer.count - 1);
    }
  };

  return (
    <div className="imaging" data-testid="imaging-panel" data-state={state} data-rendering={rendering ?? ''} data-study-uid={studyUid ?? ''}>
      <aside className="imaging__side">
        <h3 className="imaging__heading">{t('studies')}</h3>
        <ul className="imaging__studies">
          {studies.map((s) => (
            <li key={s.studyUid}>
              <button
                type="button"
                className="imaging__study"
                data-testid="imaging-study"
                data-study-uid={s.studyUid}
                aria-pressed={s.studyUid === studyUid}
                onClick={() => setStudyUid(s.studyUid)}
              >
                <span className="imaging__study-date">{s.started?.slice(0, 10) ?? ''}</span> {studyTitle(s)}
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="imaging__prior"
          data-testid="imaging-open-prior"
          disabled={priors.length === 0}
          title={priors.length === 0 ? t('noPrior') : undefined}
          onClick={() => priors[0] && setStudyUid(priors[0].studyUid)}
        >
          {priors.length === 0 ? t('noPrior') : `${t('prior')} (${priors[0]!.started?.slice(0, 10) ?? ''})`}
        </button>
        <h3 className="imaging__heading">{t('series')}</h3>
        <div className="imaging__thumbs">
          {seriesList.state === 'ready' &&
            rendering &&
            seriesList.study.studyUid === studyUid &&
            seriesList.series.map((s) => (
              <SeriesThumbnail
                key={`${studyUid}/${s.seriesUid}`}
                summary={s}
                series={seriesPromise(seriesList.study, s)}
                rendering={rendering}
                locale={locale}
                active={s.seriesUid === seriesUid}
                onSelect={() => setSeriesUid(s.seriesUid)}
              />
            ))}
        </div>
      </aside>

      <div className="imaging__main">
        <div className="imaging__toolbar" role="toolbar" aria-label={t('tools')}>
          {TOOLS.map((tool) => (
            <button key={tool} type="button" data-testid={`imaging-tool-${tool}`} aria-pressed={viewer.tool === tool} onClick={() => actions.setTool(tool)}>
              {t(`tool-${tool}` as ImagingLabel)}
            </button>
          ))}
          <button type="button" data-testid="imaging-tool-invert" aria-pressed={viewer.invert} onClick={actions.toggleInvert}>
            {t('tool-invert')}
          </button>
          <button type="button" data-testid="imaging-tool-reset" onClick={actions.reset}>
            {t('tool-reset')}
          </button>
          <span className="imaging__sep" role="separator" />
          {WINDOW_PRESETS.map((p) => (
            <button key={p.name} type="button" data-testid={`imaging-preset-${p.name}`} title={`${p.width}/${p.center}`} onClick={() => actions.setWindow(p.width, p.center)}>
              {t(`preset-${p.name}` as ImagingLabel)}
            </button>
          ))}
          <span className="imaging__sep" role="separator" />
          <button
            type="button"
            data-testid="imaging-cine"
            data-state={viewer.cineFps ? 'playing' : 'stopped'}
            aria-pressed={viewer.cineFps !== undefined}
            onClick={() => (viewer.cineFps ? actions.stop() : actions.play(fps))}
          >
            {viewer.cineFps ? t('stop') : t('cine')}
          </button>
          <label className="imaging__fps">
            {t('fps')}
            <select
              data-testid="imaging-cine-fps"
              value={fps}
              onChange={(e) => {
                const next = Number(e.target.value);
                setFps(next);
                if (viewer.cineFps) actions.play(next);
              }}
            >
              {CINE_RATES.map((r) => (
                <option key={r} value={r}>
                  {r} fps
                </option>
              ))}
            </select>
          </label>
        </div>

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
          <div className="imaging__overlay" data-testid="imaging-overlay" data-masked={maskOverlay} aria-hidden="true">
            <div className="imaging__corner imaging__corner--tl">
              <div data-testid="imaging-overlay-patient">{overlay.patientName}</div>
              <div>{overlay.patientId}</div>
              <div>{overlay.studyDate}</div>
            </div>
            <div className="imaging__corner imaging__corner--tr">
              <div>{overlay.modality}</div>
              <div>{overlay.seriesDescription}</div>
            </div>
            <div className="imaging__corner imaging__corner--bl">
              {t('image')} {viewer.count > 0 ? `${viewer.index + 1} / ${viewer.count}` : ''}
            </div>
            <div className="imaging__corner imaging__corner--br">
              {viewer.windowWidth !== undefined ? `W ${viewer.windowWidth} L ${viewer.windowCenter}` : ''}
            </div>
            {markers && (
              <>
                <div className="imaging__marker imaging__marker--top" data-testid="imaging-orientation-top">{markers.top}</div>
                <div className="imaging__marker imaging__marker--bottom">{markers.bottom}</div>
                <div className="imaging__marker imaging__marker--left" data-testid="imaging-orientation-left">{markers.left}</div>
                <div className="imaging__marker imaging__marker--right">{markers.right}</div>
              </>
            )}
          </div>
          {failure && (
            <div className="imaging__message" role="alert" data-testid="imaging-error" data-code={failure.code}>
              {t('failed', { reason: failureReason(locale, failure) })} {t(otherSeries ? 'hint-other-series' : 'hint-record')}
            </div>
          )}
          {!failure && !viewer.ready && <div className="imaging__message">{loaded && loaded.imageIds.length === 0 ? t('noImages') : t('loading')}</div>}
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
    </div>
  );
}
