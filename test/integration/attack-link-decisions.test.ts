/**
 * Link decisions name records and the clinician who linked or unlinked them: a signed-in tab
 * composing calls gets them only for records the screen showed this user this session — a
 * search result, a worklist row it was served, an open admitted for it — never for a record id
 * it learnt elsewhere. The ward worklist's own way in (a row's banner asks before its open is
 * admitted) keeps working.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { useAttackHost, type Tab } from '../support/attack-host.ts';

const suite = useAttackHost({ hospital: { wardCensus: true } });

interface Ref {
  sourceId: string;
  sourcePatientId: string;
}

/** 杨俊杰: his records in five systems, none on CARD-1 or attended by the demo doctor. */
const STRANGER = 1;

async function signIn(tab: Tab, username: string): Promise<void> {
  const answer = await tab.call('signInLocal', { username, password: DEMO_PASSWORD });
  expect(answer.status, JSON.stringify(answer.body.error)).toBe(200);
}

async function decisionsFor(tab: Tab, refs: readonly Ref[]) {
  return tab.call('listLinkDecisions', { refs });
}

describe('link decisions only for records the screen showed this user', () => {
  it('a stranger’s decisions: listed from his search result, refused by id in the next session — also after a refused open — and audited', async () => {
    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    const stranger = suite.hospital.data.patients[STRANGER]!;
    const found = await tab.call('searchPatients', { query: stranger.residentId });
    const strangerRefs = (found.body['candidates'] as { refs: Ref[] }[])[0]!.refs;
    expect(strangerRefs.length).toBeGreaterThan(1);
    // A decision about him exists: confirmed on his own search result, as the screen offers.
    const [first, second] = strangerRefs;
    expect((await tab.call('confirmLink', { a: first, b: second, note: 'one search result' })).status).toBe(200);
    const listed = await decisionsFor(tab, strangerRefs);
    expect(listed.status).toBe(200);
    expect(listed.body['decisions']).not.toEqual([]);
    await tab.call('signOut');

    // Next session: the ids are known to the tab, not shown to this user.
    await signIn(tab, 'doctor');
    const refused = await decisionsFor(tab, strangerRefs);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'access-denied', denial: 'not-shown' });
    expect(JSON.stringify(refused.body)).not.toContain('local:doctor');
    // One record of his beside nothing else, and an open refused for him: still not shown.
    expect((await decisionsFor(tab, [second!])).status).toBe(403);
    const open = await tab.call('openPatient', { refs: strangerRefs });
    expect(open.body.error).toMatchObject({ code: 'access-denied', denial: 'outside-care' });
    expect((await decisionsFor(tab, strangerRefs)).status).toBe(403);
    // Shown again through his search result: listed again.
    await tab.call('searchPatients', { query: stranger.residentId });
    expect((await decisionsFor(tab, strangerRefs)).status).toBe(200);
    await tab.call('signOut');

    await signIn(tab, 'admin');
    const audit = await tab.call('adminAuditSearch', { userId: 'local:doctor', actions: ['access-denied'], pageSize: 50 });
    expect(audit.status).toBe(200);
    const denials = (audit.body['rows'] as { entityType?: string; patients?: string[] }[]).filter((r) => r.entityType === 'Patient');
    // The second session's three listings refused and its one open refused, each naming the records asked about (masked).
    expect(denials.map((r) => r.patients?.length)).toEqual([strangerRefs.length, strangerRefs.length, 1, strangerRefs.length]);
    await tab.call('signOut');
  }, 180_000);

  it('the worklist: a row’s records are listed before (and while) its open is admitted, with no search; mixed with a stranger’s record, refused', async () => {
    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    const stranger = suite.hospital.data.patients[STRANGER]!;
    const worklist = await tab.call('listWorklist', { from: 'systems' });
    expect(worklist.status).toBe(200);
    const rows = worklist.body['rows'] as { refs: Ref[]; name: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.name)).not.toContain(stranger.displayName);
    const row = rows[0]!;
    // The banner of a row opened from the list asks at once; the open is still under way.
    const [listed, opened] = await Promise.all([decisionsFor(tab, row.refs), tab.call('openPatient', { refs: row.refs })]);
    expect(listed.status, JSON.stringify(listed.body.error)).toBe(200);
    expect(opened.status, JSON.stringify(opened.body.error)).toBe(200);
    expect((await decisionsFor(tab, row.refs)).status).toBe(200);

    // The stranger's record fed beside the row's: refused as a whole, nothing listed.
    const strangerCdr: Ref = { sourceId: 'cdr', sourcePatientId: stranger.id };
    const mixed = await decisionsFor(tab, [...row.refs, strangerCdr]);
    expect(mixed.status).toBe(403);
    expect(mixed.body['decisions']).toBeUndefined();
    await tab.call('signOut');
  }, 180_000);
});
