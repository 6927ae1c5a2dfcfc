import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

/** Keyboard and focus over the result list: the roving tab stop, arrow keys, and focus kept across live merges. */
export interface ResultFocus {
  inputRef: RefObject<HTMLInputElement | null>;
  listRef: RefObject<HTMLUListElement | null>;
  /** Index of the row that holds the tab stop. */
  active: number;
  /** Move focus to the row at `index` (clamped to the list). */
  focusRow(index: number): void;
  /** Arrow, Home, End and Escape move focus; Enter and Space call `open`. */
  onRowKey(e: KeyboardEvent<HTMLLIElement>, index: number, open: () => void): void;
  onRowFocus(index: number, key: string): void;
  /** `moved`: focus went to another element (not lost because the row was replaced). */
  onRowBlur(moved: boolean): void;
}

/**
 * @param candidates the rows listed, by key, in order.
 * @param resetKey changes when the active row should go back to the top (a new search, or its end).
 */
export function useResultFocus(candidates: readonly { key: string }[], resetKey: string): ResultFocus {
  // The active row is remembered per reset key, so a new key starts at 0 without an effect.
  const [activeIn, setActiveIn] = useState({ key: resetKey, index: 0 });
  const active = activeIn.key === resetKey ? activeIn.index : 0;
  const setActive = useCallback((index: number) => setActiveIn({ key: resetKey, index }), [resetKey]);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const focusRow = useCallback(
    (index: number) => {
      const rows = listRef.current?.querySelectorAll<HTMLElement>('[data-testid="patient-result"]');
      if (!rows || rows.length === 0) return;
      const i = Math.max(0, Math.min(rows.length - 1, index));
      setActive(i);
      rows[i]?.focus();
    },
    [setActive],
  );

  // A live answer merged into the list may replace the row the reader is on (its candidate
  // gained a system): keep the keyboard on the same patient, or on the same place in the list.
  const focusedKey = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const key = focusedKey.current;
    if (key === undefined || (document.activeElement && document.activeElement !== document.body)) return;
    const same = candidates.findIndex((c) => c.key === key);
    focusRow(same >= 0 ? same : active);
  }, [candidates, active, focusRow]);

  const onRowKey = (e: KeyboardEvent<HTMLLIElement>, index: number, open: () => void) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        focusRow(index + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (index === 0) inputRef.current?.focus();
        else focusRow(index - 1);
        break;
      case 'Home':
        e.preventDefault();
        focusRow(0);
        break;
      case 'End':
        e.preventDefault();
        focusRow(candidates.length - 1);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        open();
        break;
      case 'Escape':
        e.preventDefault();
        inputRef.current?.focus();
        break;
    }
  };

  const onRowFocus = (index: number, key: string) => {
    focusedKey.current = key;
    setActive(index);
  };

  const onRowBlur = (moved: boolean) => {
    // Focus moved on by the reader (not lost with a replaced row).
    if (moved) focusedKey.current = undefined;
  };

  return { inputRef, listRef, active, focusRow, onRowKey, onRowFocus, onRowBlur };
}
