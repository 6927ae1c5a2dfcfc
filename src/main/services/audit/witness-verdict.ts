import type { WitnessedHead, WitnessReading } from './head-witness.ts';

/**
 * What the head witnessed outside the folder says about the log in it, in one place for opening
 * (refuse anything but `agrees`, `lags`, `unwitnessed`) and verifying (report with how it knows).
 */
export type WitnessVerdict =
  | { kind: 'agrees'; head: WitnessedHead }
  /** Nothing witnessed yet (a log from before the witness, or a new key store). */
  | { kind: 'unwitnessed' }
  /** The log runs past the witness: a crash or failed write after an append; brought up to date. */
  | { kind: 'lags'; head: WitnessedHead }
  | { kind: 'unreadable'; problem: string }
  | { kind: 'edited' }
  /** The witness records events, the folder holds none. */
  | { kind: 'wiped'; head: WitnessedHead }
  /** The folder holds a log other than the one witnessed. */
  | { kind: 'other-log'; head: WitnessedHead; logId: string }
  /** The log ends before the witnessed head: an older copy was restored, or its tail cut with its anchor. */
  | { kind: 'rolled-back'; head: WitnessedHead; endSeq: number }
  /** The log's line at the witnessed seq is not the one witnessed. */
  | { kind: 'diverged'; head: WitnessedHead };

export interface WitnessedLogEnd {
  /** The folder's log id (from an authentic anchor), when known. */
  logId: string | undefined;
  seq: number;
  /** Hash of the line at `seq` of the witnessed head, when the log holds it authentically. */
  hashAt: (seq: number) => string | undefined;
}

export function judgeWitness(reading: WitnessReading, end: WitnessedLogEnd): WitnessVerdict {
  if (reading.state === 'none') return { kind: 'unwitnessed' };
  if (reading.state === 'unreadable') return { kind: 'unreadable', problem: reading.problem };
  if (reading.state === 'edited') return { kind: 'edited' };
  const head = reading.head;
  if (end.seq === 0 && end.logId === undefined) return head.seq === 0 ? { kind: 'lags', head } : { kind: 'wiped', head };
  if (end.logId !== undefined && end.logId !== head.logId)
    return head.seq === 0 && end.seq >= 0 ? { kind: 'lags', head } : { kind: 'other-log', head, logId: end.logId };
  if (end.seq < head.seq) return { kind: 'rolled-back', head, endSeq: end.seq };
  const hash = end.hashAt(head.seq);
  if (head.seq > 0 && hash !== undefined && hash !== head.hash) return { kind: 'diverged', head };
  return end.seq === head.seq ? { kind: 'agrees', head } : { kind: 'lags', head };
}
