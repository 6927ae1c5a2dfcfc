import { z } from 'zod';
import { ModalityLayoutSchema } from '../config/imaging.ts';
import { PatientCandidateSchema } from '../domain/patient.ts';
import { SourceErrorCodeSchema, SourceKindSchema, SourcePatientRefSchema, SourceStatusSchema } from '../domain/source.ts';
import { TimelineEntrySchema } from '../domain/timeline.ts';
import { QualityFindingSchema } from '../domain/quality.ts';
import { MappingUsageSchema } from './mapping-usage.ts';
import { FhirResourceSchema } from '../domain/fhir.ts';
import { BREAK_GLASS_REASON_MIN, PatientAccessSchema, SessionViewSchema } from './session.ts';
import { WorklistRequestSchema, WorklistResponseSchema } from './worklist.ts';
import { adminConsoleMethods } from './admin-console.ts';
import { adminInsightMethods } from './admin-insight.ts';

/**
 * The one typed API between the renderer and main. Each method has a request and a response
 * schema; both transports (Electron IPC, browser-host HTTP) validate against them on the main
 * side before any service runs, and the renderer validates responses before it trusts them.
 */
/** A clinician's optional reason for a confirm or unlink; it goes into the audit log. */
const LinkNoteSchema = z.string().trim().max(500).optional();

const LinkPairRequestSchema = z
  .object({
    a: SourcePatientRefSchema,
    b: SourcePatientRefSchema,
    note: LinkNoteSchema,
  })
  .strict();

/** A remembered confirm/unlink of two system records, as the banner shows it. */
export const LinkDecisionViewSchema = z.object({
  a: SourcePatientRefSchema,
  b: SourcePatientRefSchema,
  verdict: z.enum(['confirmed', 'unlinked']),
  decidedBy: z.string(),
  decidedAt: z.string(),
  note: z.string().optional(),
});
export type LinkDecisionView = z.infer<typeof LinkDecisionViewSchema>;

const SessionResponseSchema = z.object({ session: SessionViewSchema });

/** One source's answer to a probe, as the administrator's system view shows it. */
export const SourceProbeViewSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  kind: SourceKindSchema,
  /** Reachable, the protocol answered as configured, and sign-in (if any) accepted. */
  ok: z.boolean(),
  reachable: z.boolean(),
  latencyMs: z.number().nonnegative().optional(),
  protocolVersion: z.string().optional(),
  authOk: z.boolean().optional(),
  problem: z.enum(['endpoint-not-found', 'not-the-protocol', 'error-answer']).optional(),
  httpStatus: z.number().int().optional(),
  /** Set when the probe itself failed (timeout, refused, circuit open…). */
  errorCode: SourceErrorCodeSchema.optional(),
});
export type SourceProbeView = z.infer<typeof SourceProbeViewSchema>;

// ── Critical values (危急值) and medication risk alerts (用药风险) of the open patient ──────────
// (owned by the clinical-alerts work; src/main/services/clinical-alerts computes them in main)

const AcknowledgementViewSchema = z.object({ by: z.object({ id: z.string(), displayName: z.string() }), at: z.string() });

/** A critical result: the source's flag and/or the configured limit it reached; `acknowledged` once someone has. */
export const CriticalValueViewSchema = z.object({
  entryId: z.string(),
  title: z.string(),
  loinc: z.string().optional(),
  value: z.number().optional(),
  unit: z.string().optional(),
  direction: z.enum(['high', 'low', 'abnormal']),
  sourceFlag: z.string().optional(),
  limit: z.object({ low: z.number().optional(), high: z.number().optional(), unit: z.string() }).optional(),
  clinicalTime: z.string().optional(),
  acknowledged: AcknowledgementViewSchema.optional(),
});
export type CriticalValueView = z.infer<typeof CriticalValueViewSchema>;

/** A risk rule that fired, with the records that made it fire (each links to its timeline entry). */
export const RiskAlertViewSchema = z.object({
  ruleId: z.string(),
  severity: z.enum(['high', 'moderate']),
  builtIn: z.boolean(),
  /** Hospital rules' own words; built-in rules are worded by the renderer's catalogs. */
  label: z.object({ 'zh-CN': z.string(), en: z.string() }).optional(),
  evidence: z.array(
    z.object({
      condition: z.string(),
      entryId: z.string(),
      title: z.string(),
      value: z.number().optional(),
      unit: z.string().optional(),
      clinicalTime: z.string().optional(),
    }),
  ),
});
export type RiskAlertView = z.infer<typeof RiskAlertViewSchema>;

export const RiskFindingViewSchema = z.object({ ruleId: z.string(), problem: z.enum(['evaluation-error', 'over-budget']) });
export type RiskFindingView = z.infer<typeof RiskFindingViewSchema>;

export const PatientAlertsSchema = z.object({
  critical: z.array(CriticalValueViewSchema),
  risks: z.array(RiskAlertViewSchema),
  findings: z.array(RiskFindingViewSchema),
});
export type PatientAlertsView = z.infer<typeof PatientAlertsSchema>;

const clinicalAlertsMethods = {
  /** The open patient's critical values and risk alerts, over what this user may see of the record. */
  patientAlerts: {
    request: z.object({ viewId: z.string().min(1).max(100) }).strict(),
    response: PatientAlertsSchema,
  },
  /** "I have seen this critical value and act on it": kept with who and when, audited; only for the open patient's own values. */
  acknowledgeCriticalValue: {
    request: z.object({ viewId: z.string().min(1).max(100), entryId: z.string().min(1).max(300) }).strict(),
    response: z.object({ critical: CriticalValueViewSchema }),
  },
} as const;
// ── end of critical values and risk alerts ───────────────────────────────────────────────

/** Candidates a search lists unless the user asks for more (a surname alone matches many), and the most it ever lists. */
export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_LIMIT_MAX = 200;

export const apiContract = {
  /** The sign-in state; callable signed out (it is how the renderer learns it must sign in). */
  getSession: {
    request: z.object({}).strict(),
    response: SessionResponseSchema,
  },
  /** A local account (demo hospital, wards without an identity provider). */
  signInLocal: {
    request: z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(500) }).strict(),
    response: SessionResponseSchema,
  },
  /**
   * Starts an OpenID Connect sign-in (authorization code + PKCE, RFC 8252 loopback redirect):
   * the renderer opens the URL in the system browser; the session changes by event when done.
   */
  beginOidcSignIn: {
    request: z.object({}).strict(),
    response: z.object({ authorizationUrl: z.url() }),
  },
  /** Unlocks an idle-locked session of a local account with its password. */
  unlockLocal: {
    request: z.object({ password: z.string().min(1).max(500) }).strict(),
    response: SessionResponseSchema,
  },
  lockSession: {
    request: z.object({}).strict(),
    response: SessionResponseSchema,
  },
  signOut: {
    request: z.object({}).strict(),
    response: SessionResponseSchema,
  },
  /** The user is at the keyboard (throttled by the renderer): postpones the idle lock. */
  reportActivity: {
    request: z.object({}).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  setPrivacyMode: {
    request: z.object({ enabled: z.boolean() }).strict(),
    response: SessionResponseSchema,
  },
  /** Access outside the role's rules, for a stated reason, for a limited time; audited. */
  breakGlass: {
    request: z
      .object({
        refs: z.array(SourcePatientRefSchema).min(1).max(50),
        reason: z.string().trim().min(BREAK_GLASS_REASON_MIN).max(500),
      })
      .strict(),
    response: z.object({ until: z.string() }),
  },
  /** A document or image the user opened, for the audit trail (main checks it is of the open patient). */
  recordView: {
    request: z.object({ viewId: z.string().min(1).max(100), entryId: z.string().min(1).max(300) }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /**
   * The whole FHIR resources of entries of the open patient, in the order asked, as this user
   * may see them (masked as their session requires): for entries that came with a summary
   * (`resourceSummary`), e.g. the detail pane's raw view or the CLI's FHIR bundle.
   */
  entryResources: {
    request: z.object({ viewId: z.string().min(1).max(100), entryIds: z.array(z.string().min(1).max(300)).min(1).max(200_000) }).strict(),
    response: z.object({ resources: z.array(FhirResourceSchema) }),
  },
  /** De-identified export of the open patient's timeline (FHIR) or of one of its studies (DICOM PS3.15). */
  exportDeidentified: {
    request: z
      .object({
        viewId: z.string().min(1).max(100),
        kind: z.enum(['timeline', 'study']),
        studyInstanceUid: z
          .string()
          .regex(/^[0-9.]{1,64}$/)
          .optional(),
      })
      .strict(),
    response: z.object({ directory: z.string(), files: z.number().int().nonnegative(), failures: z.array(z.string()) }),
  },
  listSources: {
    request: z.object({}).strict(),
    response: z.object({ sources: z.array(SourceStatusSchema) }),
  },
  /** How the image viewer opens a study, from the configuration (`imaging.defaultLayouts`): no patient data. */
  viewerSettings: {
    request: z.object({}).strict(),
    response: z.object({ defaultLayouts: z.record(z.string(), ModalityLayoutSchema) }),
  },
  /**
   * The administrator's "check now": the probes of `huizhen sources check`, per source. Data and
   * codes only (the renderer words them); the probe's free-text detail stays in main's log.
   */
  checkSources: {
    request: z.object({}).strict(),
    response: z.object({ checkedAt: z.string(), probes: z.array(SourceProbeViewSchema) }),
  },
  /** The administrator's view of the mapping tables (local lab codes → LOINC, unit spellings → UCUM): entries and uses. */
  mappingUsage: {
    request: z.object({}).strict(),
    response: MappingUsageSchema,
  },
  searchPatients: {
    request: z
      .object({
        /** Free text: a name in 汉字 or pinyin, an MRN of any system, a 身份证 number. */
        query: z.string().trim().min(1).max(200),
        /** Chosen by the caller to receive the search's progress (`search.progress` events) before it settles. */
        searchId: z.uuid().optional(),
        /** At most this many candidates (default SEARCH_PAGE_SIZE); "show more" asks again with a higher one. */
        limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional(),
      })
      .strict(),
    response: z.object({
      candidates: z.array(PatientCandidateSchema),
      /** Present when more patients matched than were listed (the limit capped the list). */
      more: z.literal(true).optional(),
      sources: z.array(SourceStatusSchema),
    }),
  },
  openPatient: {
    request: z
      .object({
        refs: z.array(SourcePatientRefSchema).min(1).max(50),
        /**
         * Chosen by the caller so it can close the patient (cancel its requests) before the
         * reply arrives; main generates one when absent.
         */
        viewId: z.uuid().optional(),
      })
      .strict(),
    /** The merged timeline once every source has answered or failed; progress streams as events. */
    response: z.object({
      viewId: z.string(),
      entries: z.array(TimelineEntrySchema),
      sources: z.array(SourceStatusSchema),
      /** Quality findings about records not on the timeline (a Patient's 身份证); codes only, no PHI. */
      quality: z.array(QualityFindingSchema).optional(),
      access: PatientAccessSchema,
      /** The search result it was opened from, masked like the entries (when main remembers it). */
      candidate: PatientCandidateSchema.optional(),
    }),
  },
  closePatient: {
    request: z.object({ viewId: z.string().min(1).max(100) }).strict(),
    response: z.object({ closed: z.boolean() }),
  },
  /** "These two system records are the same person": from now on they are linked, whatever the matcher says. */
  confirmLink: {
    request: LinkPairRequestSchema,
    response: z.object({ ok: z.literal(true) }),
  },
  /** "These two system records are not the same person": they never group again, not even through others. */
  unlinkPatients: {
    request: LinkPairRequestSchema,
    response: z.object({ ok: z.literal(true) }),
  },
  /** The remembered decisions naming any of these records, newest first. */
  listLinkDecisions: {
    request: z.object({ refs: z.array(SourcePatientRefSchema).min(1).max(50) }).strict(),
    response: z.object({ decisions: z.array(LinkDecisionViewSchema) }),
  },

  // ── Ward worklist (issue 16) ─────────────────────────────────────────────────────────────
  /**
   * The patients on the signed-in user's wards and those they attend elsewhere, from the
   * census; served by the access layer (decided per person in main, audited like a search).
   */
  listWorklist: {
    request: WorklistRequestSchema,
    response: WorklistResponseSchema,
  },
  // ── end ward worklist ────────────────────────────────────────────────────────────────────
  ...clinicalAlertsMethods,
  // ── Administrator's console (issue 19): served by the access layer to the administrator role only ──
  ...adminConsoleMethods,
  ...adminInsightMethods,
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;

/** Methods served by the session layer itself; the rest reach the workstation core once access is checked. */
export const SESSION_METHODS = [
  'getSession',
  'signInLocal',
  'beginOidcSignIn',
  'unlockLocal',
  'lockSession',
  'signOut',
  'reportActivity',
  'setPrivacyMode',
  'checkSources',
  'breakGlass',
  'recordView',
  'entryResources',
  'exportDeidentified',
  'listWorklist',
  'patientAlerts',
  'acknowledgeCriticalValue',
  'adminSourceHealth',
  'adminConfiguration',
  'adminQualityOverview',
  'adminQualitySamples',
  'adminQualityCsv',
  'adminAuditSearch',
  'adminAuditStatus',
] as const satisfies readonly ApiMethod[];
export type SessionMethod = (typeof SESSION_METHODS)[number];
export type CoreMethod = Exclude<ApiMethod, SessionMethod>;
export const apiMethods = Object.keys(apiContract) as ApiMethod[];

export type ApiRequest<M extends ApiMethod> = z.input<ApiContract[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.output<ApiContract[M]['response']>;

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiContract, name);
}

/** IPC channel names are derived, never hand-written, so the preload and main cannot drift. */
export const ipcChannel = (method: ApiMethod): string => `huizhen:${method}`;
export const IPC_EVENT_CHANNEL = 'huizhen:event';
