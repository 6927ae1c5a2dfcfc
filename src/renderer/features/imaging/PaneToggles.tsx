import type { ImagingLabel } from './imaging-words.ts';
import type { ViewerPanes } from './use-viewer-panes.ts';

interface PaneTogglesProps {
  panes: ViewerPanes;
  /** Whether the viewer has a report pane at all (it is given the record). */
  hasReportPane: boolean;
  t: (key: ImagingLabel) => string;
  toggle(pane: keyof ViewerPanes): void;
}

const PANE_WORDS = {
  studies: { label: 'studies', hide: 'pane-studies-hide', show: 'pane-studies-show' },
  report: { label: 'report-title', hide: 'pane-report-hide', show: 'pane-report-show' },
} as const satisfies Record<keyof ViewerPanes, { label: ImagingLabel; hide: ImagingLabel; show: ImagingLabel }>;

/** Folds the study list and the report away so the images get the width (a 1280-pixel screen in 1×2 needs it). */
export function PaneToggles({ panes, hasReportPane, t, toggle }: PaneTogglesProps) {
  const shown: (keyof ViewerPanes)[] = hasReportPane ? ['studies', 'report'] : ['studies'];
  return (
    <span className="imaging__panes">
      {shown.map((pane) => (
        <button
          key={pane}
          type="button"
          data-testid={`imaging-toggle-${pane}`}
          aria-pressed={panes[pane]}
          title={t(panes[pane] ? PANE_WORDS[pane].hide : PANE_WORDS[pane].show)}
          onClick={() => toggle(pane)}
        >
          {t(PANE_WORDS[pane].label)}
        </button>
      ))}
    </span>
  );
}
