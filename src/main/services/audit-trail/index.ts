/** The running workstation's audit trail: the sealed log over the cache's key store, and its forwarding. */
export { auditDirectoryOf, auditKeysOf, openAuditTrail, type AuditTrail } from './open-audit-trail.ts';
export { auditWitnessOf, auditWitnessSnapshotOf } from './audit-witness.ts';
