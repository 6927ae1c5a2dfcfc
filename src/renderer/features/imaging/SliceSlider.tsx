import type { ImagingLabel } from './imaging-words.ts';
import type { StackViewerActions, StackViewerState } from './use-stack-viewer.ts';

interface SliceSliderProps {
  /** The viewport it moves and reads: always the active one, so its position is that viewport's. */
  cell: number;
  viewer: StackViewerState;
  actions: StackViewerActions;
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
}

/** The slice slider and its "n/N" of the active viewport (drawn by whichever viewport is active, like the toolbar). */
export function SliceSlider({ cell, viewer, actions, t }: SliceSliderProps) {
  return (
    <label className="imaging__slider" data-testid="imaging-slider-bar" data-cell={cell}>
      <span>{cell === 0 ? t('slider') : t('slider-of', { viewport: String(cell + 1) })}</span>
      <input
        type="range"
        data-testid="imaging-slider"
        data-cell={cell}
        min={0}
        max={Math.max(0, viewer.count - 1)}
        value={viewer.index}
        disabled={viewer.count < 2}
        onChange={(e) => actions.scrollTo(Number(e.target.value))}
      />
      <output data-testid="imaging-slider-position">{viewer.count > 0 ? `${viewer.index + 1}/${viewer.count}` : ''}</output>
    </label>
  );
}
