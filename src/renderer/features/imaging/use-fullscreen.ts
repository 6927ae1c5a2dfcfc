import { useSyncExternalStore, type RefObject } from 'react';

const subscribe = (onChange: () => void) => {
  document.addEventListener('fullscreenchange', onChange);
  return () => document.removeEventListener('fullscreenchange', onChange);
};

/**
 * Full screen for the viewer area through the Fullscreen API; the browser leaves it on Esc
 * (and `exit` does when a page sees the key first). `className` names the element, so the
 * snapshot reads the document, not the ref, while rendering.
 */
export function useFullscreen(target: RefObject<HTMLElement | null>, className: string) {
  const active = useSyncExternalStore(subscribe, () => document.fullscreenElement?.classList.contains(className) ?? false);
  const exit = () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
  };
  const toggle = () => {
    if (document.fullscreenElement) exit();
    else target.current?.requestFullscreen().catch(() => undefined);
  };
  return { active, toggle, exit };
}
