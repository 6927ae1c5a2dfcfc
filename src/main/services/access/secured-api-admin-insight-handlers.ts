import type { AuditSearchResponse, AuditStatus, QualityOverview, QualityRange, QualitySample } from '../../../shared/api/admin-insight.ts';
import {
  adminInsightMethods,
  AuditSearchResponseSchema,
  AuditStatusSchema,
  QualityOverviewSchema,
  QualitySampleSchema,
} from '../../../shared/api/admin-insight.ts';
import type { QualityCode } from '../../../shared/domain/quality.ts';
import type { User } from '../../../shared/domain/user.ts';
import type { ApiHandlers, ValidatedRequest } from '../api/index.ts';
import { AccessDeniedError, ApiRequestError } from '../api/index.ts';
import { auditUserOf } from './audit-port.ts';
import { PatientSearchLimit } from './patient-search-limit.ts';
import { requireAdmin } from './secured-api-admin-handlers.ts';
import type { Gate } from './secured-api-gate.ts';

/** What the console's Quality and Audit panels read; composition builds it from the services. */
export interface AdminInsightPort {
  qualityOverview(range: QualityRange): QualityOverview;
  qualitySamples(sourceId: string, kind: QualityCode): QualitySample[];
  qualityCsv(range: QualityRange): { filename: string; csv: string };
  auditSearch(request: ValidatedRequest<'adminAuditSearch'>): Promise<AuditSearchResponse>;
  auditStatus(): Promise<AuditStatus>;
}

export type AdminInsightHandlers = Pick<
  ApiHandlers,
  'adminQualityOverview' | 'adminQualitySamples' | 'adminQualityCsv' | 'adminAuditSearch' | 'adminAuditStatus'
>;

/** What an audit search asked, for its own audit event: the filters, never the reference typed (that goes in `patient`). */
function searchDetail(request: ValidatedRequest<'adminAuditSearch'>): string {
  const parts = ['audit search'];
  if (request.userId) parts.push(`user=${request.userId}`);
  if (request.actions?.length) parts.push(`actions=${request.actions.join(',')}`);
  if (request.since) parts.push(`since=${request.since}`);
  if (request.until) parts.push(`until=${request.until}`);
  if (request.patient) parts.push('patient=(see patient)');
  parts.push(`page=${request.page}`);
  return parts.join(' ');
}

/**
 * Quality and Audit: the role is decided (and audited) before the port is asked anything; each
 * drill-down and each search of the trail is an audit event of its own, a search by patient
 * naming that patient's reference in the (sealed) event as any access about a patient does.
 * Searches by patient reference are rate-limited per administrator (PatientSearchLimit); a
 * refusal is audited with the reference it was for. Answers go through the contract's schemas:
 * only counts, codes and masked references leave main.
 */
export function adminInsightHandlers(gate: Gate): AdminInsightHandlers {
  const patientSearches = new PatientSearchLimit(gate.clock);
  /** Refuses (and audits) a search by one more patient reference than the limit allows; others pass to requireAdmin. */
  async function admitPatientSearch(request: ValidatedRequest<'adminAuditSearch'>): Promise<void> {
    if (!request.patient) return;
    let admin: User;
    try {
      admin = gate.requireCapability('admin-console');
    } catch {
      return; // requireAdmin refuses it as what it is (no session, not an administrator), audited there.
    }
    if (patientSearches.admit(admin.id, request.patient)) return;
    await gate.record({
      action: 'access-denied',
      outcome: 'denied',
      user: auditUserOf(admin),
      patient: { refs: [request.patient] },
      entity: { type: 'admin-console', detail: `${searchDetail(request)}; refused: too many patient references searched` },
    });
    throw new AccessDeniedError('too many different patient references searched lately; wait and search again', false, 'search-rate');
  }
  const insightOf = () => {
    const port = gate.options.adminInsight;
    if (!port) throw new ApiRequestError('this workstation has no quality or audit console');
    return port;
  };
  return {
    async adminQualityOverview({ range }) {
      await requireAdmin(gate, `quality range=${range}`);
      return QualityOverviewSchema.parse(insightOf().qualityOverview(range));
    },
    async adminQualitySamples({ sourceId, kind }) {
      await requireAdmin(gate, `quality drill-down source=${sourceId} kind=${kind}`);
      return { samples: QualitySampleSchema.array().parse(insightOf().qualitySamples(sourceId, kind)) };
    },
    async adminQualityCsv({ range }) {
      await requireAdmin(gate, `quality export csv range=${range}`);
      return adminInsightMethods.adminQualityCsv.response.parse(insightOf().qualityCsv(range));
    },
    async adminAuditSearch(request) {
      await admitPatientSearch(request);
      await requireAdmin(gate, searchDetail(request), request.patient ? { refs: [request.patient] } : undefined);
      return AuditSearchResponseSchema.parse(await insightOf().auditSearch(request));
    },
    async adminAuditStatus() {
      await requireAdmin(gate, 'audit status');
      return AuditStatusSchema.parse(await insightOf().auditStatus());
    },
  };
}
