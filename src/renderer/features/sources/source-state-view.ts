import type { SourceState, SourceStatus } from '../../../shared/domain/source.ts';

/**
 * A call outstanding this long is said to hang, with the seconds counted: the sources' default
 * slow threshold (config `resilience.slowMs`), past which an answer would have read "slow" anyway.
 */
export const HUNG_AFTER_MS = 2_000;

/** What the status bar says about one source: its state, or 'hung' once a call has kept us waiting. */
export type ShownSourceState = SourceState | 'hung';

export interface SourceStateView {
  shown: ShownSourceState;
  /** With 'hung': whole seconds the oldest outstanding call has been waiting. */
  waitedSeconds?: number;
}

export function sourceStateView(status: SourceStatus, now: number): SourceStateView {
  if (status.state !== 'loading' || !status.loadingSince) return { shown: status.state };
  const since = Date.parse(status.loadingSince);
  if (Number.isNaN(since)) return { shown: 'loading' };
  const waited = now - since;
  if (waited < HUNG_AFTER_MS) return { shown: 'loading' };
  return { shown: 'hung', waitedSeconds: Math.floor(waited / 1000) };
}

/**
 * Whether the footer's compact chip also says the state in words: every state but a plain answer
 * (OK) or not asked yet, so a failed, cut-off, cached (stale), slow, hung or loading system never
 * stands out by its colour and glyph alone.
 */
export function saysStateInWords(shown: ShownSourceState): boolean {
  return shown !== 'ok' && shown !== 'idle';
}
