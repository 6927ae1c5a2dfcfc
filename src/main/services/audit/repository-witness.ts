import type { RepositoryWitness } from './check-head.ts';
import { createAuditEventReader, type AuditRepository } from './repository-client.ts';
import { auditEventId } from './to-fhir-audit-event.ts';

/** The audit repository as a witness of the log's head: forwarded ids are derived, so each seq is one GET. */
export function repositoryWitness(repository: AuditRepository, workstationId: string): RepositoryWitness {
  const read = createAuditEventReader(repository);
  return { workstationId, holds: (logId, seq) => read(auditEventId(workstationId, logId, seq)) };
}
