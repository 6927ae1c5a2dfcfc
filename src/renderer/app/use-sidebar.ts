import { useCallback, useEffect, useState } from 'react';

const STORAGE_KEY = 'huizhen.sidebar';

function storedOpen(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) !== 'closed';
  } catch {
    return true;
  }
}

/** The search sidebar's open/closed state: remembered per workstation, toggled by a button or Alt+\. */
export function useSidebar(): { open: boolean; toggle(): void } {
  const [open, setOpen] = useState(storedOpen);
  const toggle = useCallback(() => setOpen((o) => !o), []);
  useEffect(() => {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, open ? 'open' : 'closed');
    } catch {
      /* storage unavailable: the choice lasts this session */
    }
  }, [open]);
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
  return { open, toggle };
}
