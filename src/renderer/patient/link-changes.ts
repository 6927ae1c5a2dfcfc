import type { SourcePatientRef } from '../../shared/domain/source.ts';

type Listener = (follow: SourcePatientRef | undefined) => void;

/**
 * "A confirm or unlink just changed who is who": the search re-runs and, when `follow` is given,
 * re-opens the candidate that now holds that record, so the banner shows the new grouping.
 * A module-level signal because the banner and the search are siblings wired by App.tsx.
 */
const listeners = new Set<Listener>();

export function announceLinkChange(follow?: SourcePatientRef): void {
  for (const listener of listeners) listener(follow);
}

export function onLinkChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
