export { groupCandidates } from './group-candidates.ts';
export { classifyIdentifier, nationalIdValues } from './identifier-kinds.ts';
export { createInMemoryLinkDecisionStore, createLinkDecisions, type LinkAuditEvent, type LinkDecision, LinkDecisionSchema, type LinkDecisionStore, pairKey, refKey } from './link-decisions.ts';
export { matcherVerdict } from './matcher-verdict.ts';
export { type PersonVerdict, vouchOnePerson } from './one-person.ts';
