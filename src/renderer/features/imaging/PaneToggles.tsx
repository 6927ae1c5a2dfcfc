import type { ImagingLabel } from './imaging-words.ts';
import type { ViewerPanes } from './use-viewer-panes.ts';

interface PaneTogglesProps {
  panes: ViewerPanes;
  /** Whether the viewer has a report pane at all (it is given the record). */
  hasReportPane: boolean;
  t: (key: ImagingLabel) => string;
  toggle(pane: keyof ViewerPanes): void;
}

/** Folds the study list and the report away so the images get the width (a 1280-pixel screen in 1×2 needs it). */
export function PaneToggles({ panes, hasReportPane, t, toggle }: PaneTogglesProps) {
  return (
    <span className="imaging__panes">
      <button
        type="button"
        data-testid="imaging-toggle-studies"
        aria-pressed={panes.studies}
        title={t(panes.studies ? 'pane-studies-hide' : 'pane-studies-show')}
        onClick={() => toggle('studies')}
      >
        {t('studies')}
      </button>
      {hasReportPane && (
        <button
          type="button"
          data-testid="imaging-toggle-report"
          aria-pressed={panes.report}
          title={t(panes.report ? 'pane-report-hide' : 'pane-report-show')}
          onClick={() => toggle('report')}
        >
          {t('report-title')}
        </button>
      )}
    </span>
  );
}
