import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import type { AccessAuditEvent } from '../../src/main/services/access/audit-port.ts';
import { dispatchApiCall } from '../../src/main/services/api/index.ts';
import { securedDemoHospital } from '../support/secured-demo-hospital.ts';

/**
 * A patient opened before the search settled holds only the systems that had answered; when the
 * search later names more of the person's records, the renderer opens them in place under the same
 * view. That is main's own open, through the access layer: one person as the identity service knows
 * them, grounds decided, audited — and a set with someone else's record in it is refused without
 * disturbing what is open.
 */
const demo = securedDemoHospital({ cache: 'open-extend' });
const OTHER = 1;

describe('extending an open patient with the records a later search answer adds (through the access-checked API)', () => {
  it('opens the added systems in place under the same view: their parts join the timeline and the source list, audited', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const zhang = await demo.findOne(api, DEMO_PATIENT.residentId);
    expect(zhang.refs.length).toBeGreaterThan(2);
    const early = zhang.refs.filter((r) => r.sourceId === 'cdr');
    expect(early).toHaveLength(1);
    const added = [...new Set(zhang.refs.filter((r) => r.sourceId !== 'cdr').map((r) => r.sourceId))];

    // Opened while only the CDR had answered.
    const viewId = randomUUID();
    const first = await api.handlers.openPatient({ refs: early, viewId });
    expect(first.viewId).toBe(viewId);
    const firstSystems = new Set(first.entries.flatMap((e) => e.provenance.map((p) => p.sourceId)));
    for (const id of added) expect(firstSystems.has(id)).toBe(false);

    // The search settled with the person's other systems: the same view is opened with them.
    const extended = await api.handlers.openPatient({ refs: zhang.refs, viewId });
    expect(extended.viewId).toBe(viewId);
    const systems = new Set(extended.entries.flatMap((e) => e.provenance.map((p) => p.sourceId)));
    expect(systems.has('cdr')).toBe(true);
    expect(added.filter((id) => systems.has(id)).length, `added parts among ${[...systems].join(',')}`).toBeGreaterThan(0);
    expect(extended.entries.length).toBeGreaterThan(first.entries.length);
    for (const id of added) expect(extended.sources.map((s) => s.sourceId)).toContain(id);
    // The banner's identity is main's own search result for this user.
    expect(extended.candidate?.refs).toEqual(zhang.refs);
    const opens = audit.filter((e) => e.action === 'patient-open');
    expect(opens).toHaveLength(2);
    expect(opens.at(-1)!.patient?.refs.length).toBe(zhang.refs.length);

    // An added part is readable through the open view.
    const addedEntry = extended.entries.find((e) => e.provenance.every((p) => added.includes(p.sourceId)))!;
    const read = await api.handlers.entryResources({ viewId, entryIds: [addedEntry.id] });
    expect(read.resources).toHaveLength(1);
    await api.handlers.closePatient({ viewId });
    api.close();
  });

  it('an extension naming another person’s record is refused and audited; the open view is untouched', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const zhang = await demo.findOne(api, DEMO_PATIENT.residentId);
    const other = await demo.findOne(api, demo.hospital.data.patients[OTHER]!.residentId!);
    const viewId = randomUUID();
    const opened = await api.handlers.openPatient({ refs: zhang.refs, viewId });
    const opensBefore = audit.filter((e) => e.action === 'patient-open').length;

    const attempt = await dispatchApiCall(api.handlers, 'openPatient', { refs: [...zhang.refs, other.refs[0]!], viewId });
    expect(attempt).toMatchObject({ ok: false, status: 403, error: { code: 'access-denied', denial: 'not-one-person' } });
    expect(audit.at(-1)).toMatchObject({ action: 'access-denied', outcome: 'denied' });
    expect(audit.filter((e) => e.action === 'patient-open')).toHaveLength(opensBefore);
    // A made-up record is no better.
    const madeUp = await dispatchApiCall(api.handlers, 'openPatient', {
      refs: [...zhang.refs, { sourceId: 'his', sourcePatientId: 'H9999999' }],
      viewId,
    });
    expect(madeUp).toMatchObject({ ok: false, status: 403 });

    // What was open still is, as it was.
    const read = await api.handlers.entryResources({ viewId, entryIds: [opened.entries[0]!.id] });
    expect(read.resources).toHaveLength(1);
    await api.handlers.closePatient({ viewId });
    api.close();
  });
});
