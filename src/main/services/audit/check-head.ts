/**
 * The log's end against the two witnesses kept outside its folder: the head sealed beside the
 * cache's key material, and the hospital's audit repository (forwarded events have ids derived
 * from workstation, log id and seq, so "does it hold seq N+1 of this log?" is one read). Either
 * one that knows of events the folder lacks makes the log tampered, and the problem says which.
 */
import type { AnchorState } from './anchor.ts';
import type { AuditProblem, LogAnalysis } from './analyze-log.ts';
import type { HeadWitness, WitnessedHead } from './head-witness.ts';
import { judgeWitness } from './witness-verdict.ts';

export type HeadCheck =
  /** No witness configured (no cache: nowhere to keep it). */
  | { state: 'not-kept' }
  /** Kept, but nothing recorded yet (a log begun before witnessing). */
  | { state: 'unwitnessed'; where: string }
  | { state: 'agrees'; where: string; seq: number; counter: number }
  | { state: 'contradicts'; where: string; seq?: number }
  | { state: 'damaged'; where: string };

export type RepositoryCheck =
  | { state: 'not-configured' }
  /** No log id to ask about (no authentic anchor and nothing witnessed). */
  | { state: 'not-checked' }
  | { state: 'unreachable'; message: string }
  /** The repository holds nothing past `beyondSeq`. */
  | { state: 'agrees'; beyondSeq: number }
  | { state: 'ahead'; seq: number };

export interface RepositoryWitness {
  workstationId: string;
  /** True when the repository holds event `seq` of log `logId` from this workstation. */
  holds(logId: string, seq: number): Promise<boolean>;
}

function anchorLogId(anchor: AnchorState): string | undefined {
  return anchor.state === 'read' && anchor.macOk ? anchor.anchor.logId : undefined;
}

export function checkAgainstWitness(
  analysis: LogAnalysis,
  anchor: AnchorState,
  witness: HeadWitness | undefined,
): { check: HeadCheck; problems: AuditProblem[]; head: WitnessedHead | undefined } {
  if (!witness) return { check: { state: 'not-kept' }, problems: [], head: undefined };
  const where = witness.where;
  const reading = witness.read();
  const hashes = new Map(analysis.records.map((r) => [r.seq, r.hash]));
  const verdict = judgeWitness(reading, { logId: anchorLogId(anchor), seq: analysis.end.seq, hashAt: (seq) => hashes.get(seq) });
  const line = analysis.end.line;
  switch (verdict.kind) {
    case 'unwitnessed':
      return { check: { state: 'unwitnessed', where }, problems: [], head: undefined };
    case 'agrees':
    case 'lags':
      return { check: { state: 'agrees', where, seq: verdict.head.seq, counter: verdict.head.counter }, problems: [], head: verdict.head };
    case 'unreadable':
    case 'edited': {
      const what = verdict.kind === 'edited' ? 'was edited (its MAC does not verify)' : `is damaged (${verdict.problem})`;
      return {
        check: { state: 'damaged', where },
        problems: [{ line, kind: 'witness-mismatch', message: `the log's head kept in ${where} ${what}` }],
        head: undefined,
      };
    }
    case 'wiped':
      return {
        check: { state: 'contradicts', where, seq: verdict.head.seq },
        problems: [
          {
            seq: 1,
            line,
            kind: 'wiped',
            message: `${where} records this workstation's audit log at seq ${verdict.head.seq} (write ${verdict.head.counter}), but the folder holds no log: it was deleted`,
          },
        ],
        head: verdict.head,
      };
    case 'other-log':
      return {
        check: { state: 'contradicts', where, seq: verdict.head.seq },
        problems: [
          {
            line,
            kind: 'wiped',
            message: `${where} records audit log ${verdict.head.logId} at seq ${verdict.head.seq}, but the folder holds log ${verdict.logId}: the log was replaced`,
          },
        ],
        head: verdict.head,
      };
    case 'rolled-back':
      return {
        check: { state: 'contradicts', where, seq: verdict.head.seq },
        problems: [
          {
            seq: verdict.endSeq + 1,
            line,
            kind: 'rolled-back',
            message: `the log ends at seq ${verdict.endSeq} but ${where} records seq ${verdict.head.seq} (write ${verdict.head.counter}): an older copy was restored or its tail cut with its anchor; seq ${verdict.endSeq + 1}–${verdict.head.seq} are gone`,
          },
        ],
        head: verdict.head,
      };
    case 'diverged':
      return {
        check: { state: 'contradicts', where, seq: verdict.head.seq },
        problems: [
          {
            seq: verdict.head.seq,
            line,
            kind: 'rolled-back',
            message: `the line at seq ${verdict.head.seq} differs from the one ${where} records: the log was rolled back and written anew`,
          },
        ],
        head: verdict.head,
      };
  }
}

export async function checkAgainstRepository(
  analysis: LogAnalysis,
  anchor: AnchorState,
  witnessed: WitnessedHead | undefined,
  repository: RepositoryWitness | undefined,
): Promise<{ check: RepositoryCheck; problems: AuditProblem[] }> {
  if (!repository) return { check: { state: 'not-configured' }, problems: [] };
  const logId = anchorLogId(anchor) ?? witnessed?.logId;
  if (logId === undefined) return { check: { state: 'not-checked' }, problems: [] };
  const known = witnessed?.logId === logId ? Math.max(analysis.end.seq, witnessed.seq) : analysis.end.seq;
  const beyond = known + 1;
  let held: boolean;
  try {
    held = await repository.holds(logId, beyond);
  } catch (error) {
    return { check: { state: 'unreachable', message: error instanceof Error ? error.message : String(error) }, problems: [] };
  }
  if (!held) return { check: { state: 'agrees', beyondSeq: known }, problems: [] };
  return {
    check: { state: 'ahead', seq: beyond },
    problems: [
      {
        seq: beyond,
        line: analysis.end.line,
        kind: 'rolled-back',
        message: `the audit repository holds seq ${beyond} of this log (workstation ${repository.workstationId}), which ${witnessed ? 'neither the folder nor the key store holds' : 'the folder does not hold'}: the log was rolled back`,
      },
    ],
  };
}
