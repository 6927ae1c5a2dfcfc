import { randomBytes } from 'node:crypto';
import type { AuditRow, AuditSearchResponse, AuditStatus } from '../../shared/api/admin-insight.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { AdminInsightPort } from '../services/access/index.ts';
import {
  defaultWorkstationId,
  readAuditEvents,
  repositoryFromConfig,
  repositoryWitness,
  verifyAuditLog,
  type AuditRecord,
  type AuditVerification,
  type RepositoryWitness,
} from '../services/audit/index.ts';
import { auditDirectoryOf, auditKeysOf, auditWitnessOf, type AuditTrail } from '../services/audit-trail/index.ts';
import type { CacheStore } from '../services/cache/index.ts';
import { createRefMasks, type RefMasks } from '../services/privacy/index.ts';
import { createQualityStats, qualityCsv } from '../services/quality-stats/index.ts';
import type { Workstation } from './create-workstation.ts';

export interface AdminInsight {
  port: AdminInsightPort;
  close(): void;
}

/** Events about no patient, whose detail says what was done (a search's or a view's detail can name a patient). */
const DETAIL_SHOWN = new Set(['admin-view', 'config-change', 'sources-check', 'login', 'logout', 'login-failed', 'session-locked']);

/**
 * One masked reference per record reference, in every row: an open (which names all the person's
 * linked records) and a search by one of them show that reference's mask alike.
 */
const patientsOf = (refs: AuditRecord['event']['patient'], mask: RefMasks['audit']): string[] | undefined =>
  refs ? [...new Set(refs.refs.map(mask))].sort() : undefined;

function rowOf(record: AuditRecord, mask: RefMasks['audit']): AuditRow {
  const patients = patientsOf(record.event.patient, mask);
  const e = record.event;
  return {
    seq: record.seq,
    at: e.at,
    action: e.action,
    outcome: e.outcome,
    ...(e.user ? { userId: e.user.id, userName: e.user.displayName, roles: [...e.user.roles] } : {}),
    ...(e.attemptedUser ? { attemptedUser: e.attemptedUser } : {}),
    workstation: e.workstation,
    ...(patients ? { patients } : {}),
    ...(e.entity ? { entityType: e.entity.type } : {}),
    ...(e.entity?.detail && !e.patient && DETAIL_SHOWN.has(e.action) ? { detail: e.entity.detail } : {}),
  };
}

/** The states `huizhen audit verify` prints, as codes the renderer words. */
function headStates(head: AuditVerification['head']): { witness: string; repository: string } {
  return { witness: head.witness.state, repository: head.repository.state };
}

/** The configured repository as a witness of the log's end, as `audit verify` asks it; a missing secret is "unreachable". */
function repositoryOf(config: HuizhenConfig, workstationId: string): RepositoryWitness | undefined {
  const repository = config.audit.repository;
  if (!repository) return undefined;
  try {
    return repositoryWitness(repositoryFromConfig(repository), workstationId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { workstationId, holds: () => Promise.reject(new Error(message)) };
  }
}

/**
 * The console's Quality and Audit panels over the running services: quality findings of every
 * complete record build, aggregated per source, kind and day in the encrypted cache; the sealed
 * audit log read and verified with the same code as `huizhen audit list` and `audit verify`,
 * patients shown as masked references; the forwarder's spool.
 */
export function composeAdminInsight(
  config: HuizhenConfig,
  ports: { core: Workstation; cache: CacheStore | undefined; audit: AuditTrail; log: (line: string) => void },
): AdminInsight {
  const { cache, audit } = ports;
  // Without a cache there is no audit log to search and nothing kept: a key for this run only will do.
  const masks = createRefMasks(cache ? cache.deriveServiceKey('huizhen-ref-masks/v1') : randomBytes(32));
  const quality = createQualityStats({ ...(cache ? { store: cache } : {}), log: ports.log, sampleRef: masks.qualitySample });
  const stopListening = ports.core.onQualityAssessed((refs, findings) => quality.record(refs, findings));
  const directory = auditDirectoryOf(config);

  async function auditSearch(request: Parameters<AdminInsightPort['auditSearch']>[0]): Promise<AuditSearchResponse> {
    const { page, pageSize } = request;
    if (!cache || !audit.log) return { rows: [], total: 0, page, pageSize, unreadable: 0 };
    const listing = await readAuditEvents(directory, auditKeysOf(cache), {
      ...(request.userId ? { userId: request.userId } : {}),
      ...(request.patient ? { patient: request.patient } : {}),
      ...(request.since ? { since: request.since } : {}),
      ...(request.until ? { until: request.until } : {}),
    });
    const actions = request.actions?.length ? new Set(request.actions) : undefined;
    const matching = actions ? listing.events.filter((r) => actions.has(r.event.action)) : listing.events;
    const newestFirst = matching.slice().reverse();
    return {
      rows: newestFirst.slice(page * pageSize, (page + 1) * pageSize).map((r) => rowOf(r, masks.audit)),
      total: matching.length,
      page,
      pageSize,
      unreadable: listing.problems.length,
    };
  }

  async function auditStatus(): Promise<AuditStatus> {
    if (!cache || !audit.log) return { kept: false };
    const forwarding = audit.forwarder?.status();
    const keys = auditKeysOf(cache);
    const repository = repositoryOf(config, config.audit.workstationId ?? defaultWorkstationId());
    try {
      const verdict = await verifyAuditLog(directory, keys, {
        witness: auditWitnessOf(cache, keys.mac),
        ...(repository ? { repository } : {}),
      });
      return {
        kept: true,
        chain: {
          ok: verdict.ok,
          events: verdict.events,
          lines: verdict.lines,
          problems: verdict.problems.map((p) => ({ kind: p.kind, line: p.line, ...(p.seq !== undefined ? { seq: p.seq } : {}) })),
          ...headStates(verdict.head),
        },
        ...(forwarding ? { forwarding } : {}),
      };
    } catch (error) {
      return { kept: true, error: error instanceof Error ? error.message : String(error), ...(forwarding ? { forwarding } : {}) };
    }
  }

  return {
    port: {
      qualityOverview: (range) => quality.overview(range),
      qualitySamples: (sourceId, kind) => quality.samples(sourceId, kind),
      qualityCsv(range) {
        const day = new Date().toISOString().slice(0, 10);
        return { filename: `huizhen-quality-${range}-${day}.csv`, csv: qualityCsv(quality.overview(range, 1000)) };
      },
      auditSearch,
      auditStatus,
    },
    close() {
      stopListening();
      quality.close();
    },
  };
}
