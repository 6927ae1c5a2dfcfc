import type { ApiEvent } from '../../../shared/api/events.ts';
import type { PatientAccess } from '../../../shared/api/session.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { namesImagingStudy, reportsForStudy, studyKeysOf } from '../../../shared/domain/imaging-report-link.ts';
import { resultAttachments } from '../../../shared/domain/result-attachment.ts';
import { studyOrders } from '../../../shared/domain/imaging-order-link.ts';
import type { User } from '../../../shared/domain/user.ts';
import type { PersonVerdict } from '../identity/index.ts';
import { studyInstanceUidsOf } from '../../../adapters/dicomweb/index.ts';
import type { ApiEventListener } from '../api/index.ts';
import { ApiRequestError } from '../api/index.ts';
import type { SignInSession } from '../auth/index.ts';
import { AccessDeniedError } from './access-errors.ts';
import { auditUserOf as auditUser, type AccessAuditEvent } from './audit-port.ts';
import { BreakGlassGrants } from './break-glass.ts';
import type { MaskLevel } from '../privacy/index.ts';
import { decidePersonAccess, type PersonAccessDecision } from './person-access.ts';
import type { Capability, StudyTie } from './role-policy.ts';
import type { SecuredApiOptions } from './secured-api.ts';
import { ShownRecords } from './shown-records.ts';
import { toWireEntry } from './wire-entries.ts';

/** One patient this session opened, as far as the access layer tracks it. */
export interface OpenPatient {
  userId: string;
  /** Only the records of the one person the access decision covered: nothing else was fetched. */
  refs: SourcePatientRef[];
  /** Decided before the fetch; `withheldTypes` and `masked` are filled in per snapshot. */
  access: PatientAccess;
  /** The last entries (unfiltered) main holds for it: view records and exports check against them. */
  entries: readonly TimelineEntry[];
  /** The search result it was opened from, unmasked: the banner shows it, re-masked when privacy mode switches. */
  candidate?: PatientCandidate;
}

/** Search results remembered per session, so an open's banner can be re-masked; the oldest go first. */
const REMEMBERED_CANDIDATES = 500;

/** The same records in any order name the same candidate. */
export const refsKey = (refs: readonly SourcePatientRef[]): string =>
  refs
    .map((r) => `${r.sourceId}\u0000${r.sourcePatientId}`)
    .sort()
    .join('\u0001');

/** The Study Instance UIDs an imaging entry names. */
export const studyUidsOf = (entry: TimelineEntry): string[] =>
  studyInstanceUidsOf(entry.resource as { id?: string; identifier?: { value?: string }[] });

/**
 * The entries of a record that are orders behind one of its imaging studies, once per snapshot
 * (a snapshot's entries are replaced, never changed in place): a radiologist reads these orders.
 */
const imagingOrdersBySnapshot = new WeakMap<readonly TimelineEntry[], ReadonlySet<string>>();
function imagingOrderIds(entries: readonly TimelineEntry[]): ReadonlySet<string> {
  let ids = imagingOrdersBySnapshot.get(entries);
  if (!ids) {
    ids = new Set([...studyOrders(entries).values()].flat().map((order) => order.entryId));
    imagingOrdersBySnapshot.set(entries, ids);
  }
  return ids;
}

/**
 * The entries of a record that are reports of one of its imaging studies, once per snapshot: a
 * radiologist reads these documents, not every document that names some accession number (a
 * pathology or another patient's study would name one too).
 */
const imagingReportsBySnapshot = new WeakMap<readonly TimelineEntry[], ReadonlySet<string>>();
function imagingReportIds(entries: readonly TimelineEntry[]): ReadonlySet<string> {
  let ids = imagingReportsBySnapshot.get(entries);
  if (!ids) {
    const found = new Set<string>();
    for (const entry of entries) {
      const keys = entry.kind === 'imaging' ? studyKeysOf(entry) : undefined;
      if (keys) for (const report of reportsForStudy(keys, entries)) found.add(report.entryId);
    }
    imagingReportsBySnapshot.set(entries, (ids = found));
  }
  return ids;
}

/** The entries of a record tied to one of its imaging studies, each way the role policy names. */
const TIED_TO_A_STUDY: Readonly<Record<StudyTie, (entries: readonly TimelineEntry[]) => ReadonlySet<string>>> = {
  report: imagingReportIds,
  order: imagingOrderIds,
};

/** A record's result attachments (HL7 v2 ED documents) and the results they belong to, once per snapshot. */
const attachmentsBySnapshot = new WeakMap<readonly TimelineEntry[], ReadonlyMap<string, TimelineEntry[]>>();
function attachmentResults(entries: readonly TimelineEntry[]): ReadonlyMap<string, TimelineEntry[]> {
  let found = attachmentsBySnapshot.get(entries);
  if (!found) attachmentsBySnapshot.set(entries, (found = resultAttachments(entries)));
  return found;
}

/** What the secured API keeps between calls, before there is a session: opens, search results, grants, listeners. */
export interface GateState {
  options: SecuredApiOptions;
  clock: () => number;
  log: (line: string) => void;
  grants: BreakGlassGrants;
  opens: Map<string, OpenPatient>;
  candidates: Map<string, PatientCandidate>;
  /** The records the screen showed each user: search results, worklist rows, admitted opens. */
  shown: ShownRecords;
  /** Searches in flight by their searchId, and who asked: only their progress reaches the screen. */
  searches: Map<string, string>;
  listeners: Set<ApiEventListener>;
  emit(event: ApiEvent): void;
  /** Stores an audit event; throws when it cannot: an access that cannot be audited does not happen. */
  record(event: AccessAuditEvent): Promise<void>;
  recordQuietly(event: AccessAuditEvent): void;
}

export function createGateState(options: SecuredApiOptions): GateState {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const listeners = new Set<ApiEventListener>();
  const record = async (event: AccessAuditEvent) => {
    try {
      await options.audit(event);
    } catch (error) {
      log(`audit: an event could not be stored: ${error instanceof Error ? error.message : String(error)}`);
      // Who saw what must be provable: an access that cannot be audited does not happen.
      throw new Error('the audit trail could not record this action', { cause: error });
    }
  };
  return {
    options,
    clock,
    log,
    grants: new BreakGlassGrants(clock),
    opens: new Map(),
    candidates: new Map(),
    shown: new ShownRecords(),
    searches: new Map(),
    listeners,
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    record,
    recordQuietly(event) {
      record(event).catch(() => {});
    },
  };
}

/** The access decisions every handler shares: capabilities, one person, grounds, what is visible and how masked. */
export interface Gate extends GateState {
  session: SignInSession;
  requireCapability(capability: Capability): User;
  maskLevelFor(user: User): MaskLevel;
  accessView(user: User, access: PatientAccess, entries: readonly TimelineEntry[]): PatientAccess;
  requireOnePerson(user: User, refs: readonly SourcePatientRef[], action: string, reason?: string): Promise<SourcePatientRef[]>;
  decideForPerson(user: User, refs: readonly SourcePatientRef[]): Promise<PersonAccessDecision | undefined>;
  /** May the user read this entry of the record `entries` (its type, an imaging report, an imaging order of the record)? */
  mayRead(user: User, entry: TimelineEntry, entries: readonly TimelineEntry[]): boolean;
  /** The entries the user may read, unmasked (exports de-identify them their own way). */
  readable(user: User, entries: readonly TimelineEntry[]): TimelineEntry[];
  visible(user: User, entries: readonly TimelineEntry[]): TimelineEntry[];
  present(user: User, entries: readonly TimelineEntry[]): TimelineEntry[];
  ownOpen(user: User, viewId: string): OpenPatient;
  /** Search results as they reach this user's screen: kept for the banner, their records shown to the user. */
  rememberCandidates(user: User, found: readonly PatientCandidate[]): void;
  closeAllOf(userId: string): void;
  remaskOpensOf(user: User): void;
}

export function createGate(state: GateState, session: SignInSession): Gate {
  const { core, policy, masking } = state.options;
  const { opens, candidates } = state;

  function maskLevelFor(user: User): MaskLevel {
    if (session.isPrivacyMode()) return 'full';
    return policy.masksIdentifiers(user) ? 'national-id' : 'none';
  }

  function mayRead(user: User, entry: TimelineEntry, entries: readonly TimelineEntry[]): boolean {
    // A result's attachment is part of the result: read with it, never by the document type alone.
    const results = entry.resource.resourceType === 'DocumentReference' ? attachmentResults(entries).get(entry.id) : undefined;
    if (results) return results.some((result) => mayRead(user, result, entries));
    if (policy.canRead(user, entry.resource.resourceType)) return true;
    const tie = policy.readsWhenTiedToStudy(user, entry.resource);
    return tie !== undefined && TIED_TO_A_STUDY[tie](entries).has(entry.id);
  }

  function readable(user: User, entries: readonly TimelineEntry[]): TimelineEntry[] {
    return entries.filter((e) => mayRead(user, e, entries));
  }

  /** What the user may see of these entries: their role's resource types, masked as their session requires. */
  function visible(user: User, entries: readonly TimelineEntry[]): TimelineEntry[] {
    return masking.entries(readable(user, entries), maskLevelFor(user));
  }

  /** The visible entries as they go to the renderer: results with a summary of their resource. */
  function present(user: User, entries: readonly TimelineEntry[]): TimelineEntry[] {
    return visible(user, entries).map(toWireEntry);
  }

  /** The grounds as the renderer sees them, for these entries: what the role withholds, whether identity is masked. */
  function accessView(user: User, access: PatientAccess, entries: readonly TimelineEntry[]): PatientAccess {
    const withheld = new Set<string>();
    const studyReports = new Set<string>();
    for (const entry of entries) {
      if (mayRead(user, entry, entries)) continue;
      withheld.add(entry.resource.resourceType);
      if (namesImagingStudy(entry.resource)) studyReports.add(entry.resource.resourceType);
    }
    const maskLevel = maskLevelFor(user);
    return {
      ...access,
      withheldTypes: [...withheld].sort(),
      ...(studyReports.size > 0 ? { withheldStudyReportTypes: [...studyReports].sort() } : {}),
      masked: maskLevel !== 'none',
      maskLevel,
    };
  }

  return {
    ...state,
    session,
    maskLevelFor,
    mayRead,
    readable,
    visible,
    present,
    accessView,

    requireCapability(capability) {
      const user = session.require();
      if (!policy.can(user, capability)) {
        throw new AccessDeniedError(
          `the role ${user.roles.join(', ')} may not ${capability === 'open' || capability === 'search' ? 'read patient records' : capability}`,
        );
      }
      return user;
    },

    /** Refuses (and audits) records the identity service does not vouch for as one person. */
    async requireOnePerson(user, refs, action, reason) {
      const person: PersonVerdict = core.identifyPerson(refs);
      if (person.kind === 'one-person') return person.refs;
      await state.record({
        action: 'access-denied',
        outcome: 'denied',
        user: auditUser(user),
        patient: { refs: [...refs] },
        entity: {
          type: 'Patient',
          detail: `${action}: not-one-person; strangers=${person.strangers.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join(',')}`,
        },
        ...(reason ? { reason } : {}),
      });
      throw new AccessDeniedError(
        'these records are not one person as the identity service knows them; search for the patient and open the result',
        false,
        'not-one-person',
      );
    },

    /**
     * The grounds for one person's records, before any is fetched. What earlier permitted opens
     * cached decides at once (a cached patient still paints at once in an outage, as before); only
     * when that does not cover every record are the systems asked for the care context.
     */
    async decideForPerson(user, refs) {
      const signal = new AbortController().signal;
      const decideOn = async (from: 'cache' | 'systems') => {
        const careContext = [
          ...(await core.readCareContext(refs, signal, from)).map((c) => c.resource),
          ...(state.options.worklist?.careContext?.(refs) ?? []),
        ];
        return decidePersonAccess({
          user,
          refs,
          careContext,
          grants: state.grants,
          now: state.clock(),
          careWindowDays: state.options.access.careWindowDays,
        });
      };
      const cached = await decideOn('cache');
      if (cached && cached.uncovered.length === 0) return cached;
      return (await decideOn('systems')) ?? cached;
    },

    ownOpen(user, viewId) {
      const open = opens.get(viewId);
      if (!open || open.userId !== user.id) throw new ApiRequestError('that patient is not open');
      return open;
    },

    rememberCandidates(user, found) {
      state.shown.show(
        user.id,
        found.flatMap((c) => c.refs),
      );
      for (const c of found) {
        const key = refsKey(c.refs);
        candidates.delete(key);
        candidates.set(key, c);
      }
      for (const key of candidates.keys()) {
        if (candidates.size <= REMEMBERED_CANDIDATES) break;
        candidates.delete(key);
      }
    },

    closeAllOf(userId) {
      for (const [viewId, open] of opens) {
        if (open.userId !== userId) continue;
        opens.delete(viewId);
        void core.handlers.closePatient({ viewId });
      }
    },

    /**
     * Privacy mode switched: each open patient of this user is sent again, masked at the new level
     * (its last entries, its grounds and the search result its banner shows), so the screen keeps
     * the patient open instead of starting afresh. Core snapshots after this are masked at the new
     * level anyway; this covers what is already on screen.
     */
    remaskOpensOf(user) {
      const level = maskLevelFor(user);
      for (const [viewId, open] of opens) {
        if (open.userId !== user.id) continue;
        const candidate = open.candidate ? masking.candidates([open.candidate], level)[0] : undefined;
        state.emit({
          type: 'patient.remasked',
          viewId,
          entries: present(user, open.entries),
          access: accessView(user, open.access, open.entries),
          ...(candidate ? { candidate } : {}),
        });
      }
    },
  };
}
