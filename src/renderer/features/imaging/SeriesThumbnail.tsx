import { useEffect, useRef, useState } from 'react';
import { utilities } from '@cornerstonejs/core';
import type { RenderingPath } from './cornerstone-setup.ts';
import type { LoadedSeries, SeriesSummary } from './series-loader.ts';

export interface SeriesThumbnailProps {
  summary: SeriesSummary;
  /** The series' images once known; the middle one is drawn (Orthanc serves no thumbnails). */
  series: Promise<LoadedSeries>;
  rendering: RenderingPath;
  active: boolean;
  onSelect(): void;
}

type ThumbState = 'loading' | 'ready' | 'failed';

export function SeriesThumbnail({ summary, series, rendering, active, onSelect }: SeriesThumbnailProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<ThumbState>('loading');

  useEffect(() => {
    let alive = true;
    series
      .then(async (loaded) => {
        const imageId = loaded.imageIds[Math.floor(loaded.imageIds.length / 2)];
        if (!imageId || !canvas.current) throw new Error('no image');
        await utilities.loadImageToCanvas({ canvas: canvas.current, imageId, thumbnail: true, useCPURendering: rendering === 'cpu' });
        if (alive) setState('ready');
      })
      .catch(() => {
        if (alive) setState('failed');
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
      aria-pressed={active}
      onClick={onSelect}
    >
      <canvas ref={canvas} className="imaging__thumb-canvas" width={96} height={96} />
      <span className="imaging__thumb-label">
        {summary.number !== undefined ? `#${summary.number} ` : ''}
        {summary.modality} {summary.description}
      </span>
    </button>
  );
}
