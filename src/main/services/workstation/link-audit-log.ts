import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SourcePatientRefSchema } from '../../../shared/domain/source.ts';
import type { LinkAuditEvent } from '../identity/link-decisions.ts';
import type { CacheStore } from '../cache/index.ts';
import { putWorkstationRecord, readWorkstationRecords, type WorkstationRecordKind } from './workstation-records.ts';

const LinkAuditEventSchema = z.object({
  action: z.enum(['link-confirm', 'unlink']),
  a: SourcePatientRefSchema,
  b: SourcePatientRefSchema,
  by: z.string().min(1),
  at: z.string().min(1),
  note: z.string().optional(),
  matcher: z.object({ outcome: z.string(), score: z.number() }).optional(),
}) satisfies z.ZodType<LinkAuditEvent>;

const AUDIT: WorkstationRecordKind<LinkAuditEvent> = { kind: 'link-audit', schema: LinkAuditEventSchema };

/**
 * Append-only record of who confirmed or unlinked which records, and when. Interim: the audit
 * service (issue 8) replaces it; until then it lives beside the decisions, in the cache if any.
 */
export interface LinkAuditLog {
  append(event: LinkAuditEvent): Promise<void>;
  /** Oldest first. */
  list(): Promise<LinkAuditEvent[]>;
}

export function createInMemoryLinkAuditLog(): LinkAuditLog {
  const events: LinkAuditEvent[] = [];
  return {
    async append(event) {
      events.push(LinkAuditEventSchema.parse(event));
    },
    async list() {
      return [...events];
    },
  };
}

/** Each event is its own encrypted record, so appending never rewrites (or risks) the earlier ones. */
export function createCacheLinkAuditLog(cache: CacheStore, onBad: (error: Error) => void = () => {}): LinkAuditLog {
  return {
    async append(event) {
      const parsed = LinkAuditEventSchema.parse(event);
      await putWorkstationRecord(cache, AUDIT, randomUUID(), parsed, parsed.at);
    },
    async list() {
      const events = await readWorkstationRecords(cache, AUDIT, onBad);
      return events.sort((x, y) => x.at.localeCompare(y.at));
    },
  };
}
