export { groupCandidates } from './group-candidates.ts';
export { classifyIdentifier, nationalIdValues } from './identifier-kinds.ts';
export { createLinkActions, LinkRequestError } from './link-actions.ts';
export { openLinkDecisionLog } from './link-decision-log.ts';
export { type LinkAuditEvent, type LinkDecisionStore, refKey } from './link-decisions.ts';
export { type PersonVerdict, vouchOnePerson } from './one-person.ts';
export { putWorkstationRecord, readWorkstationRecords, type WorkstationRecordKind } from './workstation-records.ts';
export { checkResidentId, residentIdMismatches } from './resident-id.ts';
