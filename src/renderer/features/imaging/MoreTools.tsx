import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface MoreToolsProps {
  /** The button's words: "More", or the secondary tool in use so the reader sees which tool the mouse has. */
  label: string;
  /** A tool inside is the one in use: the button shows pressed like the tool would. */
  active: boolean;
  children: ReactNode;
}

/**
 * The viewer's secondary tools behind one button, so the toolbar keeps one row at 1280 px. The
 * list is a plain group of the same buttons (keyboard and screen reader as everywhere); it closes
 * on a choice, on Esc (focus back on the button) and on a click elsewhere.
 */
export function MoreTools({ label, active, children }: MoreToolsProps) {
  const [open, setOpen] = useState(false);
  const list = useId();
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);
  return (
    <span
      className="imaging__more"
      ref={root}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return;
        // Esc closes the list first; the viewer's own Esc (leave full screen) waits for the next one.
        e.stopPropagation();
        setOpen(false);
        root.current?.querySelector<HTMLElement>('[data-testid="imaging-more"]')?.focus();
      }}
    >
      <button
        type="button"
        data-testid="imaging-more"
        aria-expanded={open}
        aria-controls={list}
        aria-pressed={active}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        <span aria-hidden="true"> ▾</span>
      </button>
      <div
        id={list}
        className="imaging__more-list"
        role="group"
        aria-label={label}
        data-testid="imaging-more-list"
        hidden={!open}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest('button')) setOpen(false);
        }}
      >
        {children}
      </div>
    </span>
  );
}
