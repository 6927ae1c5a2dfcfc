export { type AccessAuditEvent, type AuditRecorder, auditUserOf } from './audit-port.ts';
export { createRolePolicy } from './role-policy.ts';
export { createSecuredApi, type DeidentifiedExporter, type SecuredApi } from './secured-api.ts';
export { secureDicomweb } from './secured-dicomweb.ts';
