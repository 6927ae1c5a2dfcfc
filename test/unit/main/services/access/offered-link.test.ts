import { describe, expect, it } from 'vitest';
import type { AccessAuditEvent } from '../../../../../src/main/services/access/audit-port.ts';
import { requireOfferedPair } from '../../../../../src/main/services/access/offered-link.ts';
import type { Gate, OpenPatient } from '../../../../../src/main/services/access/secured-api-gate.ts';
import type { LinkDecisionView } from '../../../../../src/shared/api/contract.ts';
import type { PatientCandidate } from '../../../../../src/shared/domain/patient.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';

const doctor: User = { id: 'D1', displayName: 'Doctor', roles: ['ward-doctor'], wards: ['CARD-1'], authMethod: 'local' };
const ref = (sourceId: string, sourcePatientId: string): SourcePatientRef => ({ sourceId, sourcePatientId });
const [cdr, his, lis, stranger] = [ref('cdr', 'P1'), ref('his', 'H1'), ref('lis', 'L1'), ref('cdr', 'P9')];

/** Only what the rule reads of the gate: search results, opens, decisions, the audit. */
function gateWith(setup: {
  candidates?: SourcePatientRef[][];
  opens?: { userId: string; refs: SourcePatientRef[] }[];
  decisions?: LinkDecisionView[];
}) {
  const audit: AccessAuditEvent[] = [];
  const gate = {
    candidates: new Map((setup.candidates ?? []).map((refs, i) => [String(i), { refs } as PatientCandidate])),
    opens: new Map((setup.opens ?? []).map((o, i) => [`v${i}`, { ...o, access: {}, entries: [] } as unknown as OpenPatient])),
    options: { core: { handlers: { listLinkDecisions: () => Promise.resolve({ decisions: setup.decisions ?? [] }) } } },
    record: (event: AccessAuditEvent) => {
      audit.push(event);
      return Promise.resolve();
    },
  } as unknown as Gate;
  return { gate, audit };
}

describe('link decisions only on records the screen offered as one patient', () => {
  it('confirms within one search result, unlinks only within an open patient of this user', async () => {
    const { gate } = gateWith({ candidates: [[cdr, his, lis]], opens: [{ userId: doctor.id, refs: [cdr, his] }] });
    await expect(requireOfferedPair(gate, doctor, { a: his, b: lis }, 'link')).resolves.toBeUndefined();
    await expect(requireOfferedPair(gate, doctor, { a: cdr, b: his }, 'unlink')).resolves.toBeUndefined();
    await expect(requireOfferedPair(gate, doctor, { a: his, b: lis }, 'unlink')).rejects.toMatchObject({ denial: 'not-one-person' });
  });

  it('refuses and audits a pair from two results, or from another user’s open; a pair decided before may be decided again', async () => {
    const { gate, audit } = gateWith({
      candidates: [[cdr, his], [stranger]],
      opens: [{ userId: 'someone-else', refs: [cdr, stranger] }],
      decisions: [{ a: lis, b: cdr, verdict: 'unlinked', decidedBy: 'D1', decidedAt: '2025-01-01T00:00:00Z' }],
    });
    await expect(requireOfferedPair(gate, doctor, { a: cdr, b: stranger }, 'link')).rejects.toMatchObject({ denial: 'not-one-person' });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcome: 'denied',
        entity: expect.objectContaining({ detail: 'link: not-offered-as-one-patient' }),
      }),
    ]);
    await expect(requireOfferedPair(gate, doctor, { a: cdr, b: lis }, 'link')).resolves.toBeUndefined();
  });
  it('a pair decided before is decided again only from a screen that shows one of the two', async () => {
    const decided: LinkDecisionView = { a: stranger, b: lis, verdict: 'unlinked', decidedBy: 'D2', decidedAt: '2025-01-01T00:00:00Z' };
    const { gate } = gateWith({ candidates: [[cdr, his]], decisions: [decided] });
    await expect(requireOfferedPair(gate, doctor, { a: stranger, b: lis }, 'link')).rejects.toMatchObject({ denial: 'not-one-person' });
  });
});
