import { z } from 'zod';
import { AuditActionSchema } from '../../../shared/domain/audit-action.ts';
import { SourcePatientRefSchema } from '../../../shared/domain/source.ts';
import { UserSchema } from '../../../shared/domain/user.ts';

// The action codes are shared: the administrator's console searches by them.
export { AuditActionSchema, type AuditAction } from '../../../shared/domain/audit-action.ts';

export const AuditOutcomeSchema = z.enum(['success', 'failure', 'denied']);
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

/** Who acted, as the audit needs it: the signed-in user's id, name and roles (nothing else). */
export const AuditUserSchema = UserSchema.pick({ id: true, displayName: true, roles: true });
export type AuditUser = z.infer<typeof AuditUserSchema>;

export const AuditEntitySchema = z
  .object({
    /** e.g. "DocumentReference", "ImagingStudy", "query", "config". */
    type: z.string().min(1).max(100),
    /** e.g. a DocumentReference id or a StudyInstanceUID. */
    id: z.string().min(1).max(500).optional(),
    /** e.g. the search text (queries name patients too, which is why bodies are sealed). */
    detail: z.string().max(4000).optional(),
  })
  .strict();
export type AuditEntity = z.infer<typeof AuditEntitySchema>;

export const AuditEventInputSchema = z
  .object({
    action: AuditActionSchema,
    outcome: AuditOutcomeSchema,
    /** The signed-in user; absent only when nobody is signed in (a failed login). */
    user: AuditUserSchema.optional(),
    /** The user name typed at a failed login. */
    attemptedUser: z.string().min(1).max(300).optional(),
    patient: z
      .object({ refs: z.array(SourcePatientRefSchema).min(1) })
      .strict()
      .optional(),
    entity: AuditEntitySchema.optional(),
    /** The reason a user gave for breaking the glass. */
    reason: z.string().min(1).max(2000).optional(),
    /** Host name or configured id of the workstation. */
    workstation: z.string().min(1).max(200),
    at: z.iso.datetime({ offset: true }),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (!event.user && !event.attemptedUser) {
      ctx.addIssue({ code: 'custom', path: ['user'], message: 'an event needs the user, or attemptedUser when nobody is signed in' });
    }
    if (event.action === 'break-glass' && !event.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'breaking the glass needs the reason the user gave' });
    }
  });
export type AuditEventInput = z.infer<typeof AuditEventInputSchema>;

/** One event as read back from the log: its place in the chain plus the decrypted event. */
export interface AuditRecord {
  seq: number;
  /** SHA-256 of the line, hex: the chain link the next line points at. */
  hash: string;
  event: AuditEventInput;
}
