import type { HuizhenApi } from '../../shared/api/client.ts';
import type { ApiEvent } from '../../shared/api/events.ts';
import type { PatientCandidate } from '../../shared/domain/patient.ts';
import type { SourceStatus } from '../../shared/domain/source.ts';
import type { TimelineEntry } from '../../shared/domain/timeline.ts';
import { errorMessage } from '../api/api-error.ts';
import { Store } from '../lib/store.ts';

export type OpenPhase = 'idle' | 'opening' | 'open' | 'failed';

export interface PatientView {
  phase: OpenPhase;
  /** Increments on every open/close so views can reset selection and filters. */
  seq: number;
  candidate?: PatientCandidate;
  openId?: string;
  entries: readonly TimelineEntry[];
  /** Per-source progress of this open (from snapshots, then the final response). */
  sources: readonly SourceStatus[];
  error?: string;
}

const IDLE: PatientView = { phase: 'idle', seq: 0, entries: [], sources: [] };

interface OpenRequest {
  seq: number;
  candidate: PatientCandidate;
  sourceIds: ReadonlySet<string>;
  openId?: string;
  superseded: boolean;
  settled: boolean;
}

type SessionApi = Pick<HuizhenApi, 'openPatient' | 'closePatient'>;

/**
 * The lifecycle of the open patient, outside React so it can be tested:
 * open → progressive 'timeline.updated' snapshots → the openPatient response (final) → close.
 *
 * The contract gives the openId only in the final response, so while an open is in flight
 * a snapshot's openId is *claimed* by it only when that cannot be someone else's: exactly one
 * open is in flight with an unknown id, and every entry's provenance is from a system that
 * open asked. Otherwise the snapshot is ignored and the final response still arrives. Showing
 * one patient's records under another's banner is the failure this guards against.
 * Switching patients closes the previous open as soon as its id is known.
 */
export class PatientSession extends Store<PatientView> {
  private current: OpenRequest | null = null;
  private readonly inFlightUnknown = new Set<OpenRequest>();
  private readonly ignoredIds = new Set<string>();
  private seq = 0;
  private readonly api: SessionApi;

  constructor(api: SessionApi) {
    super(IDLE);
    this.api = api;
  }

  open(candidate: PatientCandidate): void {
    this.release();
    const req: OpenRequest = {
      seq: ++this.seq,
      candidate,
      sourceIds: new Set(candidate.refs.map((r) => r.sourceId)),
      superseded: false,
      settled: false,
    };
    this.current = req;
    this.inFlightUnknown.add(req);
    this.set({ phase: 'opening', seq: req.seq, candidate, entries: [], sources: [] });
    this.api.openPatient({ refs: candidate.refs.map((r) => ({ ...r })) }).then(
      (res) => {
        req.settled = true;
        this.inFlightUnknown.delete(req);
        if (req.openId !== undefined && req.openId !== res.openId) {
          // We claimed a snapshot that was not ours after all: never trust that id again.
          this.ignoredIds.add(req.openId);
        }
        req.openId = res.openId;
        if (req.superseded) {
          this.closeId(res.openId);
          return;
        }
        this.set({ phase: 'open', seq: req.seq, candidate, openId: res.openId, entries: res.entries, sources: res.sources });
      },
      (error: unknown) => {
        req.settled = true;
        this.inFlightUnknown.delete(req);
        if (req.superseded) return;
        this.set({ ...this.get(), phase: 'failed', error: errorMessage(error) });
      },
    );
  }

  /** Closes the open patient (if any) and returns to the empty state. */
  close(): void {
    this.release();
    this.current = null;
    this.set({ ...IDLE, seq: ++this.seq });
  }

  handleEvent(event: ApiEvent): void {
    if (event.type !== 'timeline.updated') return;
    const req = this.current;
    if (!req || req.superseded || req.settled || this.ignoredIds.has(event.openId)) return;
    if (req.openId === undefined) {
      const claimable =
        this.inFlightUnknown.size === 1 &&
        this.inFlightUnknown.has(req) &&
        event.entries.every((e) => e.provenance.some((p) => req.sourceIds.has(p.sourceId)));
      if (!claimable) return;
      req.openId = event.openId;
      this.inFlightUnknown.delete(req);
    } else if (req.openId !== event.openId) {
      return;
    }
    this.set({
      phase: 'opening',
      seq: req.seq,
      candidate: req.candidate,
      openId: event.openId,
      entries: event.entries,
      sources: event.sources,
    });
  }

  private release(): void {
    const prev = this.current;
    if (!prev || prev.superseded) return;
    prev.superseded = true;
    // A settled open with an id is closed now; an unsettled one when its response arrives.
    // A claimed-but-unsettled id is closed now too; its late response will find it superseded.
    if (prev.openId !== undefined) {
      this.closeId(prev.openId);
    }
  }

  private closeId(openId: string): void {
    if (this.ignoredIds.has(openId)) return;
    this.ignoredIds.add(openId);
    this.api.closePatient({ openId }).catch((error: unknown) => {
      console.warn('huizhen: closePatient failed', errorMessage(error));
    });
  }
}
