/**
 * Which studies the viewer opens side by side: the current one and, when the modality's rule
 * asks for it, its most recent priors of the same modality and body part. Pure, for the panel
 * and the tests.
 */
import { DEFAULT_MODALITY_LAYOUTS, type CompareLayout, type ModalityLayout } from '../../../shared/config/imaging.ts';
import { priorStudies, type ImagingStudyRef } from './imaging-study-refs.ts';

export type { CompareLayout };

export const LAYOUT_CELLS: Readonly<Record<CompareLayout, number>> = { '1x1': 1, '1x2': 2, '2x2': 4 };

/** A layout with room for `count` viewports (at most four). */
export function layoutFor(count: number): CompareLayout {
  return count <= 1 ? '1x1' : count === 2 ? '1x2' : '2x2';
}

const normalised = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

/**
 * Same body part: by BodyPartExamined when both studies name one, else by study description
 * (a PACS without BodyPartExamined still names "CT 胸部平扫" alike each time).
 */
export function sameBodyPart(a: ImagingStudyRef, b: ImagingStudyRef): boolean {
  const pa = a.bodyParts ?? [];
  const pb = b.bodyParts ?? [];
  if (pa.length > 0 && pb.length > 0) return pa.some((p) => pb.includes(p));
  return a.description !== '' && normalised(a.description) === normalised(b.description);
}

/** Earlier studies of the same modality and body part, most recent first. */
export function comparablePriors(current: ImagingStudyRef, all: readonly ImagingStudyRef[]): ImagingStudyRef[] {
  return priorStudies(current, all).filter((s) => sameBodyPart(current, s));
}

function ruleFor(study: ImagingStudyRef, table: Readonly<Record<string, ModalityLayout>>): ModalityLayout {
  for (const modality of study.modalities) {
    const rule = table[modality];
    if (rule) return rule;
  }
  return table['*'] ?? { layout: '1x1', priors: 0 };
}

export interface CompareChoice {
  layout: CompareLayout;
  /** One study per viewport, the current first. */
  studies: ImagingStudyRef[];
}

/** What opening `current` shows: its modality's layout with its priors, or one viewport when it has none. */
export function defaultCompare(
  current: ImagingStudyRef,
  all: readonly ImagingStudyRef[],
  table: Readonly<Record<string, ModalityLayout>> = DEFAULT_MODALITY_LAYOUTS,
): CompareChoice {
  const rule = ruleFor(current, table);
  const priors = rule.priors > 0 ? comparablePriors(current, all).slice(0, rule.priors) : [];
  if (priors.length === 0) return { layout: '1x1', studies: [current] };
  return { layout: rule.layout, studies: [current, ...priors] };
}

/** What one of the extra viewports shows: a study, and the series chosen in it (else its largest). */
export interface CellSpec {
  studyUid: string;
  seriesUid?: string;
}

/**
 * Puts `spec` in viewport `cell` (1–3) or, without one, in a free viewport on screen, else the
 * next one off screen (the layout widens), else the last; returns the new layout and viewports.
 */
export function placeInCell(
  layout: CompareLayout,
  cells: readonly (CellSpec | undefined)[],
  spec: CellSpec,
  cell?: number,
): { layout: CompareLayout; cells: (CellSpec | undefined)[] } {
  const next = [...cells];
  const visible = LAYOUT_CELLS[layout];
  const free = [1, 2, 3].find((i) => i < visible && next[i - 1] === undefined);
  const at = cell ?? free ?? Math.min(visible, 3);
  next[at - 1] = spec;
  return { layout: layoutFor(Math.max(at + 1, visible)), cells: next };
}
