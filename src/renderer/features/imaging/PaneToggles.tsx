import type { ImagingLabel } from './imaging-words.ts';
import type { ViewerPanes } from './use-viewer-panes.ts';

interface PaneTogglesProps {
  panes: ViewerPanes;
  /** The panes this place toggles: the studies' at the left of the slider, the report's at its right. */
  which: readonly (keyof ViewerPanes)[];
  t: (key: ImagingLabel) => string;
  toggle(pane: keyof ViewerPanes): void;
}

const PANE_WORDS = {
  studies: { label: 'studies', hide: 'pane-studies-hide', show: 'pane-studies-show' },
  report: { label: 'report-title', hide: 'pane-report-hide', show: 'pane-report-show' },
} as const satisfies Record<keyof ViewerPanes, { label: ImagingLabel; hide: ImagingLabel; show: ImagingLabel }>;

/**
 * Folds the study list and the report away so the images get the width (a 1280-pixel screen in
 * 1×2 needs it): a drawn button on the pane's side of the slider row, its name read out.
 */
export function PaneToggles({ panes, which, t, toggle }: PaneTogglesProps) {
  if (which.length === 0) return null;
  return (
    <span className="imaging__panes">
      {which.map((pane) => (
        <button
          key={pane}
          type="button"
          data-testid={`imaging-toggle-${pane}`}
          className={`imaging__pane-toggle imaging__pane-toggle--${pane}`}
          aria-pressed={panes[pane]}
          title={`${t(PANE_WORDS[pane].label)} — ${t(panes[pane] ? PANE_WORDS[pane].hide : PANE_WORDS[pane].show)}`}
          onClick={() => toggle(pane)}
        >
          {/* The side the pane sits on is drawn by the style sheet; the words are the pane's name, read out. */}
          <span className="imaging__sr-only">{t(PANE_WORDS[pane].label)}</span>
        </button>
      ))}
    </span>
  );
}
