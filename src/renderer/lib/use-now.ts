import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` while `active` (e.g. to count how long a system has kept us waiting). */
export function useNow(intervalMs: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    // The clock is an outside source: it is read in its callbacks, the first right away.
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [intervalMs, active]);
  return now;
}
