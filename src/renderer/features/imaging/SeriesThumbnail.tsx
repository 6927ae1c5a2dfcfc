import { useEffect, useEffectEvent, useRef, useState, type DragEvent } from 'react';
import { utilities } from '@cornerstonejs/core';
import type { RenderingPath } from './cornerstone-setup.ts';
import { failureOf, type ImagingFailure } from './imaging-failure.ts';
import { failureReason, imagingLabel } from './imaging-words.ts';
import { ImagingLoadError, type LoadedSeries, type SeriesSummary } from './series-loader.ts';

export interface SeriesThumbnailProps {
  summary: SeriesSummary;
  /** The series' images once known; the middle one is drawn (Orthanc serves no thumbnails). */
  series: Promise<LoadedSeries>;
  rendering: RenderingPath;
  locale: string;
  active: boolean;
  onSelect(): void;
  /** Dragging the thumbnail onto a viewport shows the series there. */
  onDragStart?(e: DragEvent<HTMLButtonElement>): void;
  /** Told whether the series drew or failed, for the viewer's failure message. */
  onState?(state: 'ready' | 'failed'): void;
}

type ThumbState = 'loading' | 'ready' | 'failed';

export function SeriesThumbnail({ summary, series, rendering, locale, active, onSelect, onDragStart, onState }: SeriesThumbnailProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<ThumbState>('loading');
  const [failure, setFailure] = useState<ImagingFailure | undefined>();
  const reportState = useEffectEvent((next: 'ready' | 'failed') => onState?.(next));

  useEffect(() => {
    let alive = true;
    series
      .then(async (loaded) => {
        const imageId = loaded.imageIds[Math.floor(loaded.imageIds.length / 2)];
        if (!imageId || !canvas.current) throw new ImagingLoadError({ code: 'no-image' });
        await utilities.loadImageToCanvas({ canvas: canvas.current, imageId, thumbnail: true, useCPURendering: rendering === 'cpu' });
        if (!alive) return;
        setState('ready');
        reportState('ready');
      })
      .catch((error: unknown) => {
        if (!alive) return;
        setFailure(failureOf(error));
        setState('failed');
        reportState('failed');
      });
    return () => {
      alive = false;
    };
  }, [series, rendering]);

  return (
    <button
      type="button"
      className="imaging__thumb"
      data-testid="imaging-series-thumb"
      data-series-uid={summary.seriesUid}
      data-state={state}
      data-code={failure?.code}
      aria-pressed={active}
      title={failure ? failureReason(locale, failure) : undefined}
      onClick={onSelect}
      draggable={onDragStart !== undefined}
      onDragStart={onDragStart}
    >
      <span className="imaging__thumb-image">
        <canvas ref={canvas} className="imaging__thumb-canvas" width={96} height={96} />
        {state !== 'ready' && (
          <span className="imaging__thumb-status" data-testid="imaging-thumb-status">
            {imagingLabel(locale, state === 'failed' ? 'thumb-failed' : 'thumb-loading')}
          </span>
        )}
      </span>
      <span className="imaging__thumb-label">
        {summary.number !== undefined ? `#${summary.number} ` : ''}
        {summary.modality} {summary.description}
      </span>
    </button>
  );
}
