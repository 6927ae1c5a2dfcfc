/**
 * The viewer's keyboard shortcuts (listed in README, "Image viewer"): arrows, Page Up/Down,
 * Home and End scroll the focused viewport; F toggles full screen (Esc leaves it); 1, 2 and 4
 * choose the 1×1, 1×2 and 2×2 layouts; S links scrolling; W links window/level.
 */
import type { KeyboardEvent } from 'react';
import type { CompareLayout } from './compare-layout.ts';
import type { StackViewerActions } from './stack-viewer-state.ts';

export function scrollKeys(actions: StackViewerActions, count: number) {
  return (e: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowUp: -1, ArrowDown: 1, PageUp: -10, PageDown: 10 }[e.key];
    if (step !== undefined) {
      e.preventDefault();
      actions.scrollBy(step);
    } else if (e.key === 'Home') {
      e.preventDefault();
      actions.scrollTo(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      actions.scrollTo(count - 1);
    }
  };
}

export interface CompareKeyActions {
  toggleFullscreen(): void;
  exitFullscreen(): void;
  setLayout(layout: CompareLayout): void;
  toggleScrollLinked(): void;
  toggleWindowLinked(): void;
}

const LAYOUT_KEYS: Readonly<Record<string, CompareLayout>> = { '1': '1x1', '2': '1x2', '4': '2x2' };

/** The viewer-wide keys, ignored while typing in a field or with a modifier held (the app's own shortcuts). */
export function compareKeys(actions: CompareKeyActions) {
  return (e: KeyboardEvent<HTMLElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement;
    if (target.closest('input, select, textarea')) return;
    const key = e.key.toLowerCase();
    const layout = LAYOUT_KEYS[key];
    if (layout) actions.setLayout(layout);
    else if (key === 'f') actions.toggleFullscreen();
    else if (key === 'escape') actions.exitFullscreen();
    else if (key === 's') actions.toggleScrollLinked();
    else if (key === 'w') actions.toggleWindowLinked();
    else return;
    e.preventDefault();
  };
}
