import { z } from 'zod';

/** What happened, in IHE BALP's spirit: one code per kind of access the workstation gives. */
export const AuditActionSchema = z.enum([
  'login',
  'logout',
  'login-failed',
  'session-locked',
  'patient-search',
  'patient-open',
  'document-view',
  'image-view',
  'export',
  'identity-link',
  'identity-unlink',
  'break-glass',
  'access-denied',
  'config-change',
  /** An administrator asked every source whether it answers ("check now"). */
  'sources-check',
  /** A clinician acknowledged a critical value (危急值) of a patient: who, when, which result. */
  'critical-value-acknowledge',
  /** An administrator opened a console panel (source health, configuration): what they looked at, never patient data. */
  'admin-view',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;
