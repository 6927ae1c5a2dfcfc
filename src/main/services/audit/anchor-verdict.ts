import type { AnchorState } from './anchor.ts';

/**
 * What the anchor says about the end of the log, in one place for the two readers of it: the
 * log refuses to open on anything but `agrees`, `new-log` and `one-behind` (which it repairs);
 * the verifier reports each as a problem with its line.
 */
export type AnchorVerdict =
  | { kind: 'agrees'; logId: string }
  /** No anchor and no lines: a log not yet begun. */
  | { kind: 'new-log' }
  /** The anchor is one line behind: a crash between appending a line and updating the anchor. */
  | { kind: 'one-behind'; logId: string }
  | { kind: 'missing' }
  | { kind: 'unreadable'; problem: string }
  /** Its MAC does not verify. */
  | { kind: 'edited' }
  /** The anchor records more lines than there are: the tail was cut off. */
  | { kind: 'cut-off'; anchorSeq: number }
  /** Same last seq, different hash: the last line was replaced. */
  | { kind: 'replaced'; anchorSeq: number }
  /** The log runs more than one line past the anchor: lines were added without it. */
  | { kind: 'ahead'; anchorSeq: number };

export interface LogEnd {
  /** Seq of the last line (0 for none). */
  seq: number;
  /** Its hash, when known (a damaged last line has none to compare). */
  hash: string | undefined;
  hasLines: boolean;
}

export function judgeAnchor(anchor: AnchorState, end: LogEnd): AnchorVerdict {
  if (anchor.state === 'missing') return end.hasLines ? { kind: 'missing' } : { kind: 'new-log' };
  if (anchor.state === 'unreadable') return { kind: 'unreadable', problem: anchor.problem };
  if (!anchor.macOk) return { kind: 'edited' };
  const a = anchor.anchor;
  if (a.seq > end.seq) return { kind: 'cut-off', anchorSeq: a.seq };
  if (a.seq === end.seq && end.hash !== undefined && a.hash !== end.hash) return { kind: 'replaced', anchorSeq: a.seq };
  if (a.seq < end.seq - 1) return { kind: 'ahead', anchorSeq: a.seq };
  return a.seq === end.seq - 1 ? { kind: 'one-behind', logId: a.logId } : { kind: 'agrees', logId: a.logId };
}
