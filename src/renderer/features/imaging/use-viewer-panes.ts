import { useCallback, useEffect, useState, type RefObject } from 'react';

const STORAGE_KEY = 'huizhen.imaging.panes';

export interface ViewerPanes {
  /** The study and series list on the left. */
  studies: boolean;
  /** The report on the right. */
  report: boolean;
}

const OPEN: ViewerPanes = { studies: true, report: true };

function stored(): ViewerPanes {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    if (typeof parsed !== 'object' || parsed === null) return OPEN;
    const p = parsed as Record<string, unknown>;
    return { studies: p['studies'] !== false, report: p['report'] !== false };
  } catch {
    return OPEN;
  }
}

/**
 * Which of the viewer's side panes are open: remembered per workstation like the search
 * sidebar (a setting of the screen, never patient data), so the images get the width back.
 */
export function useViewerPanes(inside: RefObject<HTMLElement | null>) {
  const [panes, setPanes] = useState(stored);
  useEffect(() => {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(panes));
    } catch {
      /* storage unavailable: the choice lasts this session */
    }
  }, [panes]);
  const toggle = useCallback((pane: keyof ViewerPanes) => setPanes((p) => ({ ...p, [pane]: !p[pane] })), []);
  // "Show the report" from a failure message: open the pane if folded, and take the reader there.
  const showReport = () => {
    setPanes((p) => (p.report ? p : { ...p, report: true }));
    requestAnimationFrame(() => inside.current?.parentElement?.querySelector<HTMLElement>('.imaging__report')?.focus());
  };
  return { panes, toggle, showReport };
}
