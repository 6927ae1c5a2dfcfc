export { type AccessAuditEvent, type AuditRecorder, auditUserOf } from './audit-port.ts';
export { careRelationship } from './care-relationship.ts';
export { createRolePolicy } from './role-policy.ts';
export type { AdminConsolePort } from './secured-api-admin-handlers.ts';
export type { AdminInsightPort } from './secured-api-admin-insight-handlers.ts';
export { createSecuredApi, type DeidentifiedExporter, type SecuredApi } from './secured-api.ts';
export { secureDicomweb } from './secured-dicomweb.ts';
export { limitCalls } from './call-limits.ts';
