import { describe, expect, it } from 'vitest';
import type { AccessAuditEvent } from '../../../../../src/main/services/access/audit-port.ts';
import { requireOfferedPair, requireShownRecords } from '../../../../../src/main/services/access/offered-link.ts';
import { ShownRecords } from '../../../../../src/main/services/access/shown-records.ts';
import type { Gate, OpenPatient } from '../../../../../src/main/services/access/secured-api-gate.ts';
import type { LinkDecisionView } from '../../../../../src/shared/api/contract.ts';
import type { PatientCandidate } from '../../../../../src/shared/domain/patient.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';

const doctor: User = { id: 'D1', displayName: 'Doctor', roles: ['ward-doctor'], wards: ['CARD-1'], authMethod: 'local' };
const ref = (sourceId: string, sourcePatientId: string): SourcePatientRef => ({ sourceId, sourcePatientId });
const [cdr, his, lis, stranger] = [ref('cdr', 'P1'), ref('his', 'H1'), ref('lis', 'L1'), ref('cdr', 'P9')];

/** Only what the rules read of the gate: search results, opens, what each user was shown, decisions, the audit. */
function gateWith(setup: {
  candidates?: SourcePatientRef[][];
  opens?: { userId: string; refs: SourcePatientRef[] }[];
  decisions?: LinkDecisionView[];
  /** Shown to the doctor beyond the search results and their own opens (a worklist row). */
  shownToDoctor?: SourcePatientRef[];
}) {
  const audit: AccessAuditEvent[] = [];
  const shown = new ShownRecords();
  for (const refs of setup.candidates ?? []) shown.show(doctor.id, refs);
  for (const open of setup.opens ?? []) shown.show(open.userId, open.refs);
  shown.show(doctor.id, setup.shownToDoctor ?? []);
  const gate = {
    shown,
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

describe('link decisions listed only for records the screen showed this user', () => {
  it('answers for records of a search result, a worklist row or an open of this user', async () => {
    const { gate, audit } = gateWith({ candidates: [[cdr]], opens: [{ userId: doctor.id, refs: [his] }], shownToDoctor: [lis] });
    await expect(requireShownRecords(gate, doctor, [cdr, his, lis])).resolves.toBeUndefined();
    expect(audit).toEqual([]);
  });

  it('refuses (typed, audited, naming the unseen record) when any record was never shown to this user', async () => {
    const { gate, audit } = gateWith({ candidates: [[cdr, his]], opens: [{ userId: 'someone-else', refs: [stranger] }] });
    await expect(requireShownRecords(gate, doctor, [cdr, stranger])).rejects.toMatchObject({ denial: 'not-shown' });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'access-denied',
        outcome: 'denied',
        user: expect.objectContaining({ id: doctor.id }),
        patient: { refs: [cdr, stranger] },
        entity: { type: 'Patient', detail: 'link-decisions: not-shown; cdr/P9' },
      }),
    ]);
  });
});
