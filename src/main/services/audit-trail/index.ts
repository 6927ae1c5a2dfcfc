export { auditWitnessOf, auditWitnessSnapshotOf } from './audit-witness.ts';
export { auditDirectoryOf, auditKeysOf, type AuditTrail, openAuditTrail } from './open-audit-trail.ts';
