import type { ReactNode } from 'react';
import { seriesDropTarget } from './compare-drag.ts';
import { LAYOUT_CELLS, type CompareLayout } from './compare-layout.ts';
import type { CompareSync } from './compare-sync.ts';
import { CompareCell, type LinkAnchor } from './CompareCell.tsx';
import type { ImagingLabel } from './imaging-words.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';
import type { LoadedSeries, SeriesSummary } from './series-loader.ts';
import type { CellSpec } from './use-compare-layout.ts';

export interface CompareGridProps {
  layout: CompareLayout;
  cells: readonly (CellSpec | undefined)[];
  studies: readonly ImagingStudyRef[];
  /** Viewport 0: the selected study's series, as the panel draws it. */
  main: ReactNode;
  /** Cornerstone has started: the other viewports may mount. */
  started: boolean;
  seriesPromise: (of: ImagingStudyRef, summary: SeriesSummary) => Promise<LoadedSeries>;
  sync: CompareSync;
  maskOverlay: boolean;
  locale: string;
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
  /** A study or series dropped on viewport `cell` (0: the selected study). */
  onShow(spec: CellSpec, cell: number): void;
  /** The viewport the toolbar acts on; a click or focus in another makes it the active one. */
  active: number;
  onActivate(cell: number): void;
  /** Where the active viewport's toolbar goes. */
  toolbarSlot: HTMLElement | null;
  /** Where the active viewport's slice slider goes. */
  sliderSlot: HTMLElement | null;
  /** What the other viewports scroll with: the current study's slice, for the "not linked, because…" note. */
  anchor: LinkAnchor;
}

/** The viewports side by side (1×1, 1×2, 2×2); each takes a study or series dragged from the sidebar. */
export function CompareGrid(props: CompareGridProps) {
  const { layout, cells, studies, main, started, onShow, active, onActivate, t } = props;
  const others = Array.from({ length: LAYOUT_CELLS[layout] - 1 }, (_, i) => i + 1);
  return (
    <div className={`imaging__grid imaging__grid--${layout}`} data-testid="imaging-compare-grid" data-layout={layout}>
      <div
        className="imaging__cell"
        data-cell={0}
        data-active={active === 0}
        onPointerDownCapture={() => onActivate(0)}
        onFocusCapture={() => onActivate(0)}
        {...seriesDropTarget((spec) => onShow(spec, 0))}
      >
        {main}
      </div>
      {others.map((cell) => {
        const spec = cells[cell - 1];
        const study = spec && studies.find((s) => s.studyUid === spec.studyUid);
        if (!spec || !study || !started) {
          return (
            <div
              key={cell}
              className="imaging__cell imaging__cell--empty"
              data-testid="imaging-compare-empty"
              data-cell={cell}
              {...seriesDropTarget((next) => onShow(next, cell))}
            >
              <span className="imaging__message">{t('drop-here')}</span>
            </div>
          );
        }
        return (
          <CompareCell
            key={`${cell}/${study.studyUid}`}
            cell={cell}
            study={study}
            spec={spec}
            seriesPromise={props.seriesPromise}
            sync={props.sync}
            maskOverlay={props.maskOverlay}
            locale={props.locale}
            t={t}
            onSeries={(next) => onShow(next, cell)}
            active={active === cell}
            onActivate={() => onActivate(cell)}
            toolbarSlot={props.toolbarSlot}
            sliderSlot={props.sliderSlot}
            anchor={props.anchor}
          />
        );
      })}
    </div>
  );
}
