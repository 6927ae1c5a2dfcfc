import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { sidebarShown, VIEWER_NEEDS_WIDTH_BELOW } from './sidebar-fold.ts';

const STORAGE_KEY = 'huizhen.sidebar';
const NARROW = `(max-width: ${VIEWER_NEEDS_WIDTH_BELOW - 1}px)`;

function storedOpen(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) !== 'closed';
  } catch {
    return true;
  }
}

function onWidthChange(notify: () => void): () => void {
  const query = globalThis.matchMedia?.(NARROW);
  query?.addEventListener('change', notify);
  return () => query?.removeEventListener('change', notify);
}
const isNarrow = () => globalThis.matchMedia?.(NARROW).matches ?? false;

/**
 * The search sidebar's open/closed state: the reader's choice, remembered per workstation (the
 * need for width is the screen's, and a shared ward PC's storage should not list who used it),
 * toggled by a button or Alt+\. While the imaging viewer is shown on a narrow window the sidebar
 * folds by itself; the same button or key opens it for as long as the viewer stays.
 */
export function useSidebar(viewerShown: boolean): { open: boolean; foldedForViewer: boolean; toggle(): void } {
  const [chosenOpen, setChosenOpen] = useState(storedOpen);
  const narrow = useSyncExternalStore(onWidthChange, isNarrow);
  const auto = viewerShown && narrow;
  // An unfold asked for while folded for the viewer lasts until the viewer goes or the window widens.
  const [unfolded, setUnfolded] = useState({ auto, value: false });
  if (unfolded.auto !== auto) setUnfolded({ auto, value: false });
  const toggle = useCallback(() => {
    if (auto) setUnfolded((u) => ({ auto, value: !u.value }));
    else setChosenOpen((o) => !o);
  }, [auto]);
  useEffect(() => {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, chosenOpen ? 'open' : 'closed');
    } catch {
      /* storage unavailable: the choice lasts this session */
    }
  }, [chosenOpen]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key === '\\') {
        e.preventDefault();
        toggle();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
  const shown = sidebarShown({ chosenOpen, viewerShown, narrow, unfoldedForViewer: unfolded.auto === auto && unfolded.value });
  return { ...shown, toggle };
}
