import type { AccessDenial, HuizhenApi } from '../../shared/api/client.ts';
import type { ApiEvent } from '../../shared/api/events.ts';
import type { MaskLevel, PatientAccess } from '../../shared/api/session.ts';
import type { PatientCandidate } from '../../shared/domain/patient.ts';
import type { QualityFinding } from '../../shared/domain/quality.ts';
import type { SourcePatientRef, SourceStatus } from '../../shared/domain/source.ts';
import type { TimelineEntry } from '../../shared/domain/timeline.ts';
import { ApiError, errorMessage, type ApiErrorCode } from '../api/api-error.ts';
import { Store } from '../lib/store.ts';
import { concernsOpened, extendedRefs, extensionFor, refsKeyOf } from './open-extension.ts';

export type OpenPhase = 'idle' | 'opening' | 'open' | 'failed';

export interface PatientView {
  phase: OpenPhase;
  /** Increments on every open/close so views can reset selection and filters. */
  seq: number;
  candidate?: PatientCandidate;
  viewId?: string;
  entries: readonly TimelineEntry[];
  /** Per-source progress of this open (from snapshots, then the final response). */
  sources: readonly SourceStatus[];
  error?: string;
  /** Why opening failed, when main said (e.g. 'access-denied': break-the-glass may open it). */
  errorCode?: ApiErrorCode;
  /** With 'access-denied': why ('not-one-person': the records are not confirmed as one person; no break-the-glass). */
  denial?: AccessDenial;
  /** With 'rate-limited': the wait main gave. */
  retryAfterSeconds?: number;
  /** On what grounds this user reads this patient, and what their role withholds. */
  access?: PatientAccess;
  /** While a large record loads: it shows only the newest entries of this many. */
  totalEntries?: number;
  /** Data-quality findings about the patient's own records (a 身份证 with a wrong check digit): they have no timeline row. */
  quality?: readonly QualityFinding[];
  /** The systems the search this patient was found by is still asking: their parts may yet join the open record. */
  asking?: readonly string[];
  /** Main refused to add the records a later search answer named for this person: the open record is as it was. */
  extensionRefused?: boolean;
}

const IDLE: PatientView = { phase: 'idle', seq: 0, entries: [], sources: [] };

interface OpenRequest {
  seq: number;
  /** Replaced when main re-masks the open patient (privacy mode switched). */
  candidate: PatientCandidate;
  /** The records asked for in main; a search that found more of this person's records adds to them. */
  refs: readonly SourcePatientRef[];
  /** A later answer of the search named more of this person's records: opened again, in place, once this load settles. */
  pendingExtension?: PatientCandidate;
  extending: boolean;
  /** A link decision changed who is who: this open takes no more from the (now stale) search. */
  frozen?: boolean;
  /** Record sets already asked for in place (refused ones are not asked again on every progress event). */
  tried: Set<string>;
  /** The mask level of the last re-masking main sent; anything masked otherwise is older than it. */
  remaskedAt?: MaskLevel;
  viewId: string;
  superseded: boolean;
  settled: boolean;
}

type OpenPatientViewApi = Pick<HuizhenApi, 'openPatient' | 'closePatient'>;

/** A v4 UUID from the Web Crypto API (randomUUID needs a secure context: app:// and loopback are). */
export function newViewId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The lifecycle of the open patient, outside React so it can be tested:
 * open (with an viewId we choose) → 'timeline.updated' snapshots for that viewId →
 * the openPatient response (the final snapshot) → closePatient.
 * Switching patients closes the previous open at once, even mid-load, and anything that
 * arrives for it afterwards is ignored: one patient's records never show under another's banner.
 */
export class OpenPatientView extends Store<PatientView> {
  private current: OpenRequest | null = null;
  /** The last answer of the search: a patient opened from it while systems are still asked shows them at once. */
  private lastSearch: { candidates: readonly PatientCandidate[]; pending: readonly string[] } = { candidates: [], pending: [] };
  private seq = 0;
  private readonly api: OpenPatientViewApi;
  private readonly makeId: () => string;

  constructor(api: OpenPatientViewApi, makeId: () => string = newViewId) {
    super(IDLE);
    this.api = api;
    this.makeId = makeId;
  }

  open(candidate: PatientCandidate): void {
    this.release();
    const req: OpenRequest = {
      seq: ++this.seq,
      candidate,
      refs: candidate.refs,
      viewId: this.makeId(),
      superseded: false,
      settled: false,
      extending: false,
      tried: new Set(),
    };
    this.current = req;
    this.set({ phase: 'opening', seq: req.seq, candidate, viewId: req.viewId, entries: [], sources: [] });
    // Only a search still under way can add to this open: a settled one's candidates are what the
    // user chose from, and a re-open after an unlink must not bring the unlinked system back.
    if (this.lastSearch.pending.length > 0) this.searchProgress(this.lastSearch.candidates, this.lastSearch.pending);
    this.api.openPatient({ refs: candidate.refs.map((r) => ({ ...r })), viewId: req.viewId }).then(
      (res) => {
        req.settled = true;
        if (req.superseded) {
          // Closed mid-load already; if main chose another id after all, close that one too.
          if (res.viewId !== req.viewId) this.closeId(res.viewId);
          return;
        }
        req.viewId = res.viewId;
        if (this.predatesRemask(req, res.access)) {
          // Computed before a privacy switch main has since re-masked this patient for: keep the re-masked identity.
          this.set({ ...this.get(), phase: 'open', viewId: res.viewId, sources: res.sources });
          return;
        }
        if (res.candidate) req.candidate = res.candidate;
        this.set({
          phase: 'open',
          seq: req.seq,
          candidate: req.candidate,
          viewId: res.viewId,
          entries: res.entries,
          sources: res.sources,
          access: res.access,
          ...(res.quality?.length ? { quality: res.quality } : {}),
          ...(this.get().asking ? { asking: this.get().asking } : {}),
        });
        this.extendPending(req);
      },
      (error: unknown) => {
        req.settled = true;
        if (req.superseded) return;
        this.set({
          ...this.get(),
          phase: 'failed',
          error: errorMessage(error),
          ...(error instanceof ApiError
            ? {
                errorCode: error.code,
                ...(error.denial ? { denial: error.denial } : {}),
                ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
              }
            : {}),
        });
      },
    );
  }

  /**
   * A confirm or unlink changed the grouping: the search re-runs (its first answers from the cache
   * still group the old way) and the patient is re-opened from its result; until then the open
   * one takes nothing more from the search.
   */
  linkChanged(): void {
    if (this.current) this.current.frozen = true;
    this.lastSearch = { candidates: [], pending: [] };
  }

  /** Closes the open patient (if any) and returns to the empty state. */
  close(): void {
    this.release();
    this.current = null;
    this.set({ ...IDLE, seq: ++this.seq });
  }

  /**
   * Privacy mode switched. Main re-masks what it has open (a 'patient.remasked' event); a failed
   * open (refused, break-the-glass offered) is not open in main, so it has nothing to re-mask:
   * it closes rather than keep a banner masked for the old mode.
   */
  privacyModeChanged(): void {
    if (this.get().phase === 'failed') this.close();
  }

  /**
   * The search the patient was found by answered again (one system's answer, or its end). Records of the open
   * person it now names are opened in place, through main's open (access decided and audited there as for any
   * open); until the search settles, the banner names the systems it is still asking.
   */
  searchProgress(candidates: readonly PatientCandidate[], pending: readonly string[]): void {
    this.lastSearch = { candidates, pending };
    const req = this.current;
    if (!req || req.superseded || req.frozen || this.get().phase === 'failed') return;
    const asking = pending.length > 0 && concernsOpened(candidates, req.refs) ? pending : undefined;
    const { asking: was, ...rest } = this.get();
    if (asking || was) this.set(asking ? { ...rest, asking } : rest);
    const more = extensionFor(candidates, req.refs);
    if (!more || req.tried.has(refsKeyOf(more.refs))) return;
    req.pendingExtension = more;
    this.extendPending(req);
  }

  private extendPending(req: OpenRequest): void {
    const next = req.pendingExtension;
    // A second open under one viewId while the first is in flight would make main drop the first: wait for it.
    if (!next || !req.settled || req.extending || req.superseded || this.current !== req) return;
    req.pendingExtension = undefined;
    req.tried.add(refsKeyOf(next.refs));
    const refs = extendedRefs(req.refs, next);
    req.extending = true;
    this.api.openPatient({ refs, viewId: req.viewId }).then(
      (res) => {
        req.extending = false;
        if (req.superseded) return;
        req.refs = refs;
        const remasked = this.predatesRemask(req, res.access);
        if (!remasked) req.candidate = res.candidate ?? next;
        const { extensionRefused: _gone, quality: _old, ...shown } = this.get();
        this.set({
          ...shown,
          phase: 'open',
          candidate: req.candidate,
          entries: remasked ? shown.entries : res.entries,
          sources: res.sources,
          ...(remasked ? {} : { access: res.access }),
          ...(res.quality?.length ? { quality: res.quality } : {}),
        });
        this.extendPending(req);
      },
      (error: unknown) => {
        req.extending = false;
        if (req.superseded) return;
        console.warn('huizhen: the records a search added could not be opened', errorMessage(error));
        this.set({ ...this.get(), extensionRefused: true });
        this.extendPending(req);
      },
    );
  }

  private predatesRemask(req: OpenRequest, access: PatientAccess | undefined): boolean {
    return req.remaskedAt !== undefined && access !== undefined && access.maskLevel !== req.remaskedAt;
  }

  private applyRemask(req: OpenRequest, event: Extract<ApiEvent, { type: 'patient.remasked' }>): void {
    if (!event.candidate) {
      // Main could not re-mask the banner's search result: nothing masked for the old mode may stay on screen.
      this.close();
      return;
    }
    req.candidate = event.candidate;
    req.remaskedAt = event.access.maskLevel;
    this.set({ ...this.get(), candidate: event.candidate, entries: event.entries, access: event.access });
  }

  handleEvent(event: ApiEvent): void {
    if (event.type !== 'timeline.updated' && event.type !== 'patient.remasked') return;
    const req = this.current;
    if (!req || req.superseded || event.viewId !== req.viewId) return;
    if (event.type === 'patient.remasked') {
      this.applyRemask(req, event);
      return;
    }
    if (this.predatesRemask(req, event.access)) return;
    if (req.settled && req.extending && !event.complete) {
      // Opening added records in place: what is shown stays until their merged timeline is complete.
      this.set({ ...this.get(), sources: event.sources });
      return;
    }
    if (req.settled) {
      // After the response, late partial snapshots (they travel another channel) must not
      // regress it; a complete one is news, e.g. a result the LIS pushed while the patient is open.
      if (event.complete)
        this.set({
          ...this.get(),
          phase: 'open',
          entries: event.entries,
          sources: event.sources,
          ...(event.access ? { access: event.access } : {}),
        });
      return;
    }
    this.set({
      phase: 'opening',
      seq: req.seq,
      candidate: req.candidate,
      viewId: req.viewId,
      entries: event.entries,
      sources: event.sources,
      ...(event.access ? { access: event.access } : {}),
      ...(event.totalEntries !== undefined ? { totalEntries: event.totalEntries } : {}),
      ...(this.get().asking ? { asking: this.get().asking } : {}),
    });
  }

  private release(): void {
    const prev = this.current;
    if (!prev || prev.superseded) return;
    prev.superseded = true;
    this.closeId(prev.viewId);
  }

  private closeId(viewId: string): void {
    this.api.closePatient({ viewId }).catch((error: unknown) => {
      console.warn('huizhen: closePatient failed', errorMessage(error));
    });
  }
}
