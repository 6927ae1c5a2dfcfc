import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../../../shared/api/contract.ts';
import type { ApiEvent } from '../../../shared/api/events.ts';
import type { PatientAccess, SessionView } from '../../../shared/api/session.ts';
import type { AccessConfig } from '../../../shared/config/access.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { PersonVerdict } from '../identity/one-person.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { User } from '../../../shared/domain/user.ts';
import type { ApiBackend, ApiEventListener, ApiHandlers, CoreBackend } from '../api/api-handlers.ts';
import { studyInstanceUidsOf } from '../../../adapters/dicomweb/index.ts';
import { ApiRequestError } from '../api/dispatch.ts';
import { SessionManager, type SessionEvent, type SignInMethods } from '../auth/session-manager.ts';
import { AccessDeniedError } from './access-errors.ts';
import { auditUserOf as auditUser, type AccessAuditEvent, type AuditRecorder } from './audit-port.ts';
import { BreakGlassGrants } from './break-glass.ts';
import { decidePersonAccess, type PersonAccessDecision } from './person-access.ts';
import type { Masking, MaskLevel } from './masking-port.ts';
import type { Capability, RolePolicy } from './role-policy.ts';
import { probeLogLine, toProbeView } from './source-probes.ts';
import { toWireEntry } from './wire-entries.ts';

/** Writes de-identified exports; the privacy service implements it. */
export interface DeidentifiedExporter {
  timeline(entries: readonly TimelineEntry[]): Promise<{ directory: string; files: number; failures: string[] }>;
  study(studyInstanceUid: string, sourceId: string): Promise<{ directory: string; files: number; failures: string[] }>;
}

export interface SecuredApiOptions {
  core: CoreBackend;
  methods: SignInMethods;
  idleLockMinutes: number;
  sessionMaxHours: number;
  policy: RolePolicy;
  access: AccessConfig;
  audit: AuditRecorder;
  masking: Masking;
  exporter?: DeidentifiedExporter;
  /** The ward worklist (census + last looks); without it `listWorklist` answers that there is none. */
  worklist?: WorklistPort;
  /** After every sign-out or expiry, e.g. the cache's purge-on-logout policy. */
  onSignOut?: () => void;
  clock?: () => number;
  log?: (line: string) => void;
}

/** What the access layer needs of the worklist service (src/main/services/worklist). */
export interface WorklistPort {
  list(user: User, options: { from: 'cache' | 'systems'; mask: (candidates: PatientCandidate[]) => PatientCandidate[] }): Promise<ApiResponse<'listWorklist'>>;
  viewed(user: User, refs: readonly SourcePatientRef[]): void;
}

/** One patient this session opened, as far as the access layer tracks it. */
interface OpenPatient {
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
const refsKey = (refs: readonly SourcePatientRef[]): string =>
  refs
    .map((r) => `${r.sourceId}\u0000${r.sourcePatientId}`)
    .sort()
    .join('\u0001');

/** The API every host serves, plus what hosts need to guard their other routes (the DICOMweb mount). */
export interface SecuredApi extends ApiBackend {
  session: SessionManager;
  /** The mask level for the current session, or undefined when no one may see patient data now. */
  maskLevel(): MaskLevel | undefined;
  /** May the active user view this study (it belongs to a patient they opened with access to images)? */
  canViewStudy(studyInstanceUid: string): { userId: string; refs: SourcePatientRef[] } | undefined;
  audit: AuditRecorder;
  masking: Masking;
  close(): void;
}

/**
 * The gate between every host and the workstation core: who is signed in, what their role may
 * do and see, on what grounds they may read this patient (ward, treating relationship, imaging,
 * break-the-glass), masking, and an audit event for every access. Nothing reaches a host —
 * and so the renderer — except through here.
 */
export function createSecuredApi(options: SecuredApiOptions): SecuredApi {
  const { core, policy, masking } = options;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const grants = new BreakGlassGrants(clock);
  const opens = new Map<string, OpenPatient>();
  const candidates = new Map<string, PatientCandidate>();
  const listeners = new Set<ApiEventListener>();
  const emit = (event: ApiEvent) => {
    for (const listener of listeners) listener(event);
  };
  const record = async (event: AccessAuditEvent) => {
    try {
      await options.audit(event);
    } catch (error) {
      log(`audit: an event could not be stored: ${error instanceof Error ? error.message : String(error)}`);
      // Who saw what must be provable: an access that cannot be audited does not happen.
      throw new Error('the audit trail could not record this action', { cause: error });
    }
  };
  const recordQuietly = (event: AccessAuditEvent) => {
    record(event).catch(() => {});
  };

  const session = new SessionManager({
    methods: options.methods,
    idleLockMinutes: options.idleLockMinutes,
    sessionMaxHours: options.sessionMaxHours,
    masksIdentifiers: (user) => policy.masksIdentifiers(user),
    capabilitiesOf: (user) => policy.capabilitiesOf(user),
    clock,
    onChange: (view, event) => {
      onSessionEvent(event);
      emit({ type: 'session.changed', session: view });
    },
  });

  function onSessionEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'login':
        recordQuietly({ action: 'login', outcome: 'success', user: auditUser(event.user), entity: { type: 'session', detail: event.method } });
        return;
      case 'login-failed':
        recordQuietly({ action: 'login-failed', outcome: 'failure', attemptedUser: event.attemptedUser, entity: { type: 'session', detail: `${event.method}: ${event.message}` } });
        return;
      case 'logout':
        closeAllOf(event.user.id);
        candidates.clear();
        grants.revokeUser(event.user.id);
        options.onSignOut?.();
        recordQuietly({ action: 'logout', outcome: 'success', user: auditUser(event.user), entity: { type: 'session', detail: event.cause } });
        return;
      case 'locked':
        recordQuietly({ action: 'session-locked', outcome: 'success', user: auditUser(event.user), entity: { type: 'session', detail: event.cause } });
        return;
      case 'unlocked':
        recordQuietly({ action: 'login', outcome: 'success', user: auditUser(event.user), entity: { type: 'session', detail: 'unlock' } });
        return;
      case 'privacy-mode':
        recordQuietly({ action: 'config-change', outcome: 'success', user: auditUser(event.user), entity: { type: 'privacy-mode', detail: event.enabled ? 'on' : 'off' } });
        remaskOpensOf(event.user);
        return;
    }
  }

  /**
   * Privacy mode switched: each open patient of this user is sent again, masked at the new level
   * (its last entries, its grounds and the search result its banner shows), so the screen keeps
   * the patient open instead of starting afresh. Core snapshots after this are masked at the new
   * level anyway; this covers what is already on screen.
   */
  function remaskOpensOf(user: User): void {
    const level = maskLevelFor(user);
    for (const [openId, open] of opens) {
      if (open.userId !== user.id) continue;
      const candidate = open.candidate ? masking.candidates([open.candidate], level)[0] : undefined;
      emit({ type: 'patient.remasked', openId, entries: present(user, open.entries), access: accessView(user, open.access, open.entries), ...(candidate ? { candidate } : {}) });
    }
  }

  function rememberCandidates(found: readonly PatientCandidate[]): void {
    for (const c of found) {
      const key = refsKey(c.refs);
      candidates.delete(key);
      candidates.set(key, c);
    }
    for (const key of candidates.keys()) {
      if (candidates.size <= REMEMBERED_CANDIDATES) break;
      candidates.delete(key);
    }
  }

  function closeAllOf(userId: string): void {
    for (const [openId, open] of opens) {
      if (open.userId !== userId) continue;
      opens.delete(openId);
      void core.handlers.closePatient({ openId });
    }
  }

  function requireCapability(capability: Capability): User {
    const user = session.require();
    if (!policy.can(user, capability)) {
      throw new AccessDeniedError(`the role ${user.roles.join(', ')} may not ${capability === 'open' || capability === 'search' ? 'read patient records' : capability}`);
    }
    return user;
  }

  function maskLevelFor(user: User): MaskLevel {
    if (session.isPrivacyMode()) return 'full';
    return policy.masksIdentifiers(user) ? 'national-id' : 'none';
  }

  /** The grounds as the renderer sees them, for these entries: what the role withholds, whether identity is masked. */
  function accessView(user: User, access: PatientAccess, entries: readonly TimelineEntry[]): PatientAccess {
    const withheld = new Set<string>();
    for (const entry of entries) if (!policy.canRead(user, entry.resource.resourceType)) withheld.add(entry.resource.resourceType);
    const maskLevel = maskLevelFor(user);
    return { ...access, withheldTypes: [...withheld].sort(), masked: maskLevel !== 'none', maskLevel };
  }

  /** Refuses (and audits) records the identity service does not vouch for as one person. */
  async function requireOnePerson(user: User, refs: readonly SourcePatientRef[], action: string, reason?: string): Promise<SourcePatientRef[]> {
    const person: PersonVerdict = core.identifyPerson(refs);
    if (person.kind === 'one-person') return person.refs;
    await record({
      action: 'access-denied',
      outcome: 'denied',
      user: auditUser(user),
      patient: { refs: [...refs] },
      entity: { type: 'Patient', detail: `${action}: not-one-person; strangers=${person.strangers.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join(',')}` },
      ...(reason ? { reason } : {}),
    });
    throw new AccessDeniedError('these records are not one person as the identity service knows them; search for the patient and open the result', false, 'not-one-person');
  }

  /**
   * The grounds for one person's records, before any is fetched. What earlier permitted opens
   * cached decides at once (a cached patient still paints at once in an outage, as before); only
   * when that does not cover every record are the systems asked for the care context.
   */
  async function decideForPerson(user: User, refs: readonly SourcePatientRef[]): Promise<PersonAccessDecision | undefined> {
    const signal = new AbortController().signal;
    const decideOn = async (from: 'cache' | 'systems') => {
      const careContext = (await core.readCareContext(refs, signal, from)).map((c) => c.resource);
      return decidePersonAccess({ user, refs, careContext, grants, now: clock(), careWindowDays: options.access.careWindowDays });
    };
    const cached = await decideOn('cache');
    if (cached && cached.uncovered.length === 0) return cached;
    return (await decideOn('systems')) ?? cached;
  }

  /** What the user may see of these entries: their role's resource types, masked as their session requires. */
  function visible(user: User, entries: readonly TimelineEntry[]): TimelineEntry[] {
    const readable = entries.filter((e) => policy.canRead(user, e.resource.resourceType));
    return masking.entries(readable, maskLevelFor(user));
  }

  /** The visible entries as they go to the renderer: results with a summary of their resource. */
  function present(user: User, entries: readonly TimelineEntry[]): TimelineEntry[] {
    return visible(user, entries).map(toWireEntry);
  }

  function ownOpen(user: User, openId: string): OpenPatient {
    const open = opens.get(openId);
    if (!open || open.userId !== user.id) throw new ApiRequestError('that patient is not open');
    return open;
  }

  const unsubscribeCore = core.subscribe((event) => {
    if (event.type === 'session.changed' || event.type === 'patient.remasked') return;
    const user = session.currentUser();
    if (!user || !session.isActive()) return;
    if (event.type === 'source.status') {
      if (policy.can(user, 'sources')) emit(event);
      return;
    }
    // Only opens the access layer admitted (decided before their fetch) stream anything.
    const open = opens.get(event.openId);
    if (!open || open.userId !== user.id) return;
    open.entries = event.entries;
    emit({ ...event, entries: present(user, event.entries), access: accessView(user, open.access, event.entries) });
  });

  const handlers: ApiHandlers = {
    async getSession() {
      return { session: session.view() };
    },
    async signInLocal({ username, password }) {
      return { session: await session.signInLocal(username, password) };
    },
    async beginOidcSignIn() {
      return { authorizationUrl: await session.beginOidc() };
    },
    async unlockLocal({ password }) {
      return { session: await session.unlockLocal(password) };
    },
    async lockSession() {
      return { session: session.lock('user') };
    },
    async signOut() {
      return { session: session.signOut() };
    },
    async reportActivity() {
      session.activity();
      return { ok: true };
    },
    async setPrivacyMode({ enabled }) {
      return { session: session.setPrivacyMode(enabled) };
    },

    async listSources() {
      requireCapability('sources');
      return core.handlers.listSources({});
    },

    async checkSources() {
      const user = requireCapability('check-sources');
      // Probing reaches every hospital system: who asked, and when, is on the record.
      await record({ action: 'sources-check', outcome: 'success', user: auditUser(user), entity: { type: 'sources', detail: 'probe' } });
      const probes = await core.probeSources();
      for (const probe of probes) log(probeLogLine(probe));
      return { checkedAt: new Date(clock()).toISOString(), probes: probes.map(toProbeView) };
    },

    async searchPatients({ query }) {
      const user = requireCapability('search');
      await record({ action: 'patient-search', outcome: 'success', user: auditUser(user), entity: { type: 'query', detail: query } });
      const result = await core.handlers.searchPatients({ query });
      rememberCandidates(result.candidates);
      return { ...result, candidates: masking.candidates(result.candidates, maskLevelFor(user)) };
    },

    async openPatient({ refs: requestedRefs, openId: requested }) {
      const user = requireCapability('open');
      // 1. One person, as the identity service vouches: never an arbitrary list from the renderer.
      const refs = await requireOnePerson(user, requestedRefs, 'open');
      // 2. The grounds for that person, from their care context (read, not kept) and grants, per record.
      const decision = await decideForPerson(user, refs);
      if (!decision) {
        await record({ action: 'access-denied', outcome: 'denied', user: auditUser(user), patient: { refs }, entity: { type: 'Patient', detail: 'open: outside-care' } });
        throw new AccessDeniedError(
          'this patient is not on your wards and you are not recorded as treating them; in an emergency, break the glass with a reason',
          policy.can(user, 'break-glass'),
          'outside-care',
        );
      }
      if (session.currentUser()?.id !== user.id || !session.isActive()) throw new ApiRequestError('the session ended while the patient opened');
      const grounds: PatientAccess = {
        basis: decision.basis,
        ...(decision.grant ? { until: new Date(decision.grant.until).toISOString(), reason: decision.grant.reason } : {}),
        withheldTypes: [],
        masked: maskLevelFor(user) !== 'none',
        maskLevel: maskLevelFor(user),
      };
      // 3. Audited before anything is fetched: an access that cannot be recorded does not happen.
      await record({
        action: 'patient-open',
        outcome: 'success',
        user: auditUser(user),
        patient: { refs: decision.covered },
        entity: { type: 'Patient', detail: `basis=${decision.basis}${decision.uncovered.length ? `; not covered, not fetched: ${decision.uncovered.map((r) => `${r.sourceId}/${r.sourcePatientId}`).join(',')}` : ''}` },
        ...(grounds.reason ? { reason: grounds.reason } : {}),
      });
      // 4. Only now the fan-out, and only for the covered records.
      const openId = requested ?? randomUUID();
      const candidate = candidates.get(refsKey(requestedRefs));
      const open: OpenPatient = { userId: user.id, refs: decision.covered, access: grounds, entries: [], ...(candidate ? { candidate } : {}) };
      opens.set(openId, open);
      let result;
      try {
        result = await core.handlers.openPatient({ refs: decision.covered, openId });
      } catch (error) {
        if (opens.get(openId) === open) opens.delete(openId);
        throw error;
      }
      if (opens.get(openId) !== open || session.currentUser()?.id !== user.id) {
        if (opens.get(openId) === open) opens.delete(openId);
        await core.handlers.closePatient({ openId });
        throw new ApiRequestError('the patient was closed or the session ended while it opened');
      }
      open.entries = result.entries;
      options.worklist?.viewed(user, decision.covered);
      const shownCandidate = candidate ? masking.candidates([candidate], maskLevelFor(user))[0] : undefined;
      return { ...result, entries: present(user, result.entries), access: accessView(user, grounds, result.entries), ...(shownCandidate ? { candidate: shownCandidate } : {}) };
    },

    async closePatient({ openId }) {
      const user = session.currentUser();
      const open = opens.get(openId);
      if (open && user && open.userId === user.id) opens.delete(openId);
      return core.handlers.closePatient({ openId });
    },

    async confirmLink(request) {
      requireCapability('link');
      return core.handlers.confirmLink(request);
    },
    async unlinkPatients(request) {
      requireCapability('link');
      return core.handlers.unlinkPatients(request);
    },
    async listLinkDecisions(request) {
      requireCapability('open');
      return core.handlers.listLinkDecisions(request);
    },

    async breakGlass({ refs: requestedRefs, reason }) {
      const user = requireCapability('break-glass');
      // A grant covers exactly the one person it was asked for.
      const refs = await requireOnePerson(user, requestedRefs, 'break-glass', reason);
      await record({ action: 'break-glass', outcome: 'success', user: auditUser(user), patient: { refs }, reason });
      const grant = grants.grant(user.id, refs, reason, options.access.breakGlassMinutes);
      return { until: new Date(grant.until).toISOString() };
    },

    // Ward worklist: each row's person decided by the care rule in the worklist service, before any record is read.
    async listWorklist({ from }) {
      const user = requireCapability('open');
      if (!options.worklist) throw new ApiRequestError('this workstation keeps no ward census');
      await record({ action: 'patient-search', outcome: 'success', user: auditUser(user), entity: { type: 'worklist', detail: `wards=${user.wards.join(',') || '-'}; from=${from}` } });
      return options.worklist.list(user, { from, mask: (list) => masking.candidates(list, maskLevelFor(user)) });
    },

    async recordView({ openId, entryId }) {
      const user = session.require();
      const open = ownOpen(user, openId);
      const entry = open.entries.find((e) => e.id === entryId);
      if (!entry || !policy.canRead(user, entry.resource.resourceType)) throw new ApiRequestError('no such entry in the open patient');
      await record({
        action: entry.kind === 'imaging' ? 'image-view' : 'document-view',
        outcome: 'success',
        user: auditUser(user),
        patient: { refs: open.refs },
        entity: { type: entry.resource.resourceType, ...(entry.resource.id ? { id: entry.resource.id } : {}) },
      });
      return { ok: true };
    },

    async entryResources({ openId, entryIds }) {
      const user = session.require();
      const open = ownOpen(user, openId);
      // Masked among all the patient's entries, as the timeline was: masking learns the
      // patient's names and identifiers from the whole record.
      const shown = new Map(visible(user, open.entries).map((e) => [e.id, e.resource]));
      const resources = entryIds.map((id) => {
        const resource = shown.get(id);
        if (!resource) throw new ApiRequestError(`no such entry in the open patient: ${id}`);
        return resource;
      });
      return { resources };
    },

    async exportDeidentified({ openId, kind, studyInstanceUid }) {
      const user = requireCapability('export');
      const open = ownOpen(user, openId);
      const exporter = options.exporter;
      if (!exporter) throw new ApiRequestError('exports are not configured on this workstation');
      const readable = open.entries.filter((e) => policy.canRead(user, e.resource.resourceType));
      let target: { sourceId: string } | undefined;
      if (kind === 'study') {
        if (!studyInstanceUid) throw new ApiRequestError('a study export names its Study Instance UID');
        const study = readable.find((e) => e.kind === 'imaging' && studyUidsOf(e).includes(studyInstanceUid));
        const source = study?.provenance.find((p) => p.sourceKind === 'dicomweb');
        if (!study || !source) throw new ApiRequestError('that study is not part of the open patient');
        target = { sourceId: source.sourceId };
      }
      await record({
        action: 'export',
        outcome: 'success',
        user: auditUser(user),
        patient: { refs: open.refs },
        entity: { type: kind === 'study' ? 'ImagingStudy' : 'Bundle', ...(studyInstanceUid ? { id: studyInstanceUid } : {}), detail: 'de-identified' },
      });
      return target && studyInstanceUid ? exporter.study(studyInstanceUid, target.sourceId) : exporter.timeline(readable);
    },
  };

  function canViewStudy(uid: string): { userId: string; refs: SourcePatientRef[] } | undefined {
    const user = session.currentUser();
    if (!user || !session.isActive() || !policy.canRead(user, 'ImagingStudy')) return undefined;
    for (const open of opens.values()) {
      if (open.userId !== user.id) continue;
      if (open.entries.some((e) => e.kind === 'imaging' && studyUidsOf(e).includes(uid))) return { userId: user.id, refs: open.refs };
    }
    return undefined;
  }

  return {
    handlers,
    session,
    audit: record,
    masking,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    maskLevel() {
      const user = session.currentUser();
      return user && session.isActive() ? maskLevelFor(user) : undefined;
    },
    canViewStudy,
    close() {
      unsubscribeCore();
      session.dispose();
      listeners.clear();
    },
  };
}

/** The Study Instance UIDs an imaging entry names. */
const studyUidsOf = (entry: TimelineEntry): string[] => studyInstanceUidsOf(entry.resource as { id?: string; identifier?: { value?: string }[] });

export type { SessionView };
