/**
 * Which series each viewport of the comparison shows. Opening a study starts from its default
 * (defaultCompare); the reader then changes the layout or puts another study or series in a
 * viewport. Kept per study: selecting another study starts again from that study's default.
 */
import { useState } from 'react';
import type { ModalityLayout } from '../../../shared/config/imaging.ts';
import { defaultCompare, placeInCell, type CellSpec, type CompareLayout } from './compare-layout.ts';
import type { ImagingStudyRef } from './imaging-study-refs.ts';

export type { CellSpec };

interface CompareState {
  forStudy: string | undefined;
  layout: CompareLayout;
  /** Viewports 1–3; viewport 0 is the selected study's selected series. */
  cells: readonly (CellSpec | undefined)[];
}

export interface CompareLayoutControl {
  layout: CompareLayout;
  cells: readonly (CellSpec | undefined)[];
  setLayout(layout: CompareLayout): void;
  /** Shows `spec` in viewport `cell` (1–3), or in the first free one, widening the layout if needed. */
  show(spec: CellSpec, cell?: number): void;
}

function initial(
  study: ImagingStudyRef | undefined,
  studies: readonly ImagingStudyRef[],
  table?: Readonly<Record<string, ModalityLayout>>,
) {
  if (!study) return { forStudy: undefined, layout: '1x1' as const, cells: [] };
  const choice = defaultCompare(study, studies, table);
  return { forStudy: study.studyUid, layout: choice.layout, cells: choice.studies.slice(1).map((s) => ({ studyUid: s.studyUid })) };
}

export function useCompareLayout(
  study: ImagingStudyRef | undefined,
  studies: readonly ImagingStudyRef[],
  table: Readonly<Record<string, ModalityLayout>> | undefined,
): CompareLayoutControl {
  const [chosen, setChosen] = useState<CompareState>();
  const state: CompareState = chosen && chosen.forStudy === study?.studyUid ? chosen : initial(study, studies, table);
  return {
    layout: state.layout,
    cells: state.cells,
    setLayout: (layout) => setChosen({ ...state, layout }),
    show: (spec, cell) => setChosen({ ...state, ...placeInCell(state.layout, state.cells, spec, cell) }),
  };
}
