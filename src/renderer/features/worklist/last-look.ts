import { useSyncExternalStore } from 'react';

/**
 * When the user last looked at the patient opened from the worklist (or, never looked, when the
 * stay began): entries after it are marked new in the timeline. Taken from the worklist row
 * before the open, since opening moves main's "last look" to now.
 */
let since: string | undefined;
const listeners = new Set<() => void>();

export function rememberLastLook(value: string | undefined): void {
  since = value;
  for (const listener of listeners) listener();
}

export function forgetLastLook(): void {
  rememberLastLook(undefined);
}

export function useLastLook(): string | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => since,
  );
}
