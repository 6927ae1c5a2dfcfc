import type { SourceErrorCode } from '../../../shared/domain/source.ts';

/**
 * One settled call to one source, as the guard reports it to whoever watches the source's health
 * over time: numbers and a code, never what was asked or answered.
 */
export interface SourceCallRecord {
  sourceId: string;
  /** When the call settled (epoch ms). */
  at: number;
  ok: boolean;
  /** From the first attempt to the outcome, retries and waits included. */
  latencyMs: number;
  attempts: number;
  errorCode?: SourceErrorCode;
  /** This call's failure opened the circuit (a trip), not merely met an open one. */
  tripped: boolean;
  /** The call waited for this workstation's rate limit, or the source answered "too many requests". */
  rateLimited: boolean;
}

export type SourceCallListener = (call: SourceCallRecord) => void;
