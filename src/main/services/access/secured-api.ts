import type { SessionView } from '../../../shared/api/session.ts';
import type { AccessConfig } from '../../../shared/config/access.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { ApiBackend, ApiHandlers, CoreBackend } from '../api/index.ts';
import { SignInSession, type SignInMethods } from '../auth/index.ts';
import type { AuditRecorder } from './audit-port.ts';
import type { Masking, MaskLevel } from '../privacy/index.ts';
import type { RolePolicy } from './role-policy.ts';
import { createGate, createGateState, studyUidsOf, type Gate } from './secured-api-gate.ts';
import { patientHandlers } from './secured-api-patient-handlers.ts';
import { alertHandlers } from './secured-api-alert-handlers.ts';
import { mappingHandlers } from './secured-api-mapping-handlers.ts';
import type { ClinicalAlerts } from '../clinical-alerts/index.ts';
import { onSessionEvent } from './secured-api-session-events.ts';
import { sessionHandlers } from './secured-api-session-handlers.ts';
import { forwardWorklistChanges, worklistHandlers, type WorklistPort } from './secured-api-worklist-handlers.ts';
import { adminHandlers, type AdminConsolePort } from './secured-api-admin-handlers.ts';
import { adminInsightHandlers, type AdminInsightPort } from './secured-api-admin-insight-handlers.ts';

/** Writes de-identified exports; the privacy service implements it. */

/**
 * The Study Instance UIDs of an open record, once per snapshot: every frame request of the viewer
 * asks (200 per series), and a snapshot's entries are replaced, never changed in place.
 */
const studyUidsBySnapshot = new WeakMap<readonly TimelineEntry[], ReadonlySet<string>>();
function studyUidsOfRecord(entries: readonly TimelineEntry[]): ReadonlySet<string> {
  let uids = studyUidsBySnapshot.get(entries);
  if (!uids) {
    uids = new Set(entries.filter((e) => e.kind === 'imaging').flatMap((e) => studyUidsOf(e)));
    studyUidsBySnapshot.set(entries, uids);
  }
  return uids;
}

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
  /** Critical values and risk rules over an open patient's record (src/main/services/clinical-alerts). */
  alerts?: ClinicalAlerts;
  /** The ward worklist (census + last looks); without it `listWorklist` answers that there is none. */
  worklist?: WorklistPort;
  /** The administrator's console (source health, configuration); without it those methods answer that there is none. */
  adminConsole?: AdminConsolePort;
  /** The console's Quality and Audit panels; without it those methods answer that there is none. */
  adminInsight?: AdminInsightPort;
  /** After every sign-out or expiry, e.g. the cache's purge-on-logout policy. */
  onSignOut?: () => void;
  clock?: () => number;
  log?: (line: string) => void;
}

/** The API every host serves, plus what hosts need to guard their other routes (the DICOMweb mount). */
export interface SecuredApi extends ApiBackend {
  session: SignInSession;
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
  const state = createGateState(options);
  const session: SignInSession = new SignInSession({
    methods: options.methods,
    idleLockMinutes: options.idleLockMinutes,
    sessionMaxHours: options.sessionMaxHours,
    masksIdentifiers: (user) => policy.masksIdentifiers(user),
    capabilitiesOf: (user) => policy.capabilitiesOf(user),
    clock: state.clock,
    onChange: (view, event) => {
      onSessionEvent(gate, event);
      state.emit({ type: 'session.changed', session: view });
    },
  });
  const gate: Gate = createGate(state, session);
  const unsubscribeCore = core.subscribe((event) => {
    // The worklist's signal reaches the session through forwardWorklistChanges, never from the core.
    if (event.type === 'session.changed' || event.type === 'patient.remasked' || event.type === 'worklist.changed') return;
    const user = session.currentUser();
    if (!user || !session.isActive()) return;
    if (event.type === 'source.status') {
      if (policy.can(user, 'sources')) state.emit(event);
      return;
    }
    if (event.type === 'search.progress') {
      if (state.searches.get(event.searchId) !== user.id) return;
      gate.rememberCandidates(user, event.candidates);
      state.emit({ ...event, candidates: masking.candidates(event.candidates, gate.maskLevelFor(user)) });
      return;
    }
    // Only opens the access layer admitted (decided before their fetch) stream anything.
    const open = state.opens.get(event.viewId);
    if (!open || open.userId !== user.id) return;
    open.entries = event.entries;
    state.emit({ ...event, entries: gate.present(user, event.entries), access: gate.accessView(user, open.access, event.entries) });
  });
  const unsubscribeWorklist = forwardWorklistChanges(gate);
  const handlers: ApiHandlers = {
    ...sessionHandlers(session),
    ...patientHandlers(gate),
    ...alertHandlers(gate),
    ...worklistHandlers(gate),
    ...adminHandlers(gate),
    ...adminInsightHandlers(gate),
    ...mappingHandlers(gate),
  };

  function canViewStudy(uid: string): { userId: string; refs: SourcePatientRef[] } | undefined {
    const user = session.currentUser();
    if (!user || !session.isActive() || !policy.canRead(user, 'ImagingStudy')) return undefined;
    for (const open of state.opens.values()) {
      if (open.userId !== user.id) continue;
      if (studyUidsOfRecord(open.entries).has(uid)) return { userId: user.id, refs: open.refs };
    }
    return undefined;
  }

  return {
    handlers,
    session,
    audit: state.record,
    masking,
    subscribe(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    maskLevel() {
      const user = session.currentUser();
      return user && session.isActive() ? gate.maskLevelFor(user) : undefined;
    },
    canViewStudy,
    close() {
      unsubscribeCore();
      unsubscribeWorklist();
      session.dispose();
      state.listeners.clear();
    },
  };
}

export type { SessionView };
