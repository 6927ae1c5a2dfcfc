import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPassphraseKeyProtector, openCacheStore, type CacheStore } from '../../../../../src/main/services/cache/index.ts';
import { openLinkDecisionLog } from '../../../../../src/main/services/identity/link-decision-log.ts';
import { createLinkActions, LinkRequestError } from '../../../../../src/main/services/identity/link-actions.ts';
import type { LinkAuditEvent } from '../../../../../src/main/services/identity/link-decisions.ts';
import { SeenPatients } from '../../../../../src/main/services/patient-record/seen-patients.ts';
import { WORKSTATION_CACHE_KEY } from '../../../../../src/main/services/identity/workstation-records.ts';

const A = { sourceId: 'cdr', sourcePatientId: 'a' };
const B = { sourceId: 'his', sourcePatientId: 'b' };

async function cache(): Promise<CacheStore> {
  return openCacheStore({
    directory: mkdtempSync(join(tmpdir(), 'huizhen-linklog-')),
    protector: createPassphraseKeyProtector('unit test passphrase', { log2Cost: 12 }),
  });
}

/** A stored record shaped like the log's own, with a payload the test chooses. */
function stored(id: string, payload: string | undefined, resourceType = 'Basic') {
  return {
    resource: {
      resourceType,
      id,
      ...(payload === undefined ? {} : { extension: [{ url: 'urn:huizhen:workstation:payload', valueString: payload }] }),
    },
    provenance: {
      sourceId: 'huizhen-link-decision',
      sourceName: 'x',
      sourceKind: 'fhir' as const,
      nativeId: `${resourceType}/${id}`,
      fetchedAt: '2025-01-01T00:00:00Z',
    },
  };
}

describe('link decision log in the cache', () => {
  it('skips and reports every kind of unreadable stored decision, keeping the good ones', async () => {
    const store = await cache();
    const good = { a: A, b: B, verdict: 'unlinked', decidedBy: 'dr.li', decidedAt: '2025-01-01T00:00:00Z' };
    await store.putRecords(WORKSTATION_CACHE_KEY, 'huizhen-link-decision', [
      stored('good', JSON.stringify(good)),
      stored('not-json', '{oops'),
      stored('bad-shape', JSON.stringify({ ...good, verdict: 'maybe' })),
      stored('no-payload', undefined),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a deliberately wrong resource
      stored('wrong-type', JSON.stringify(good), 'Patient') as any,
    ]);
    const bad: string[] = [];
    const log = await openLinkDecisionLog(store, (e) => bad.push(e.message));
    expect(log.store.get(B, A)?.verdict).toBe('unlinked');
    expect(bad).toHaveLength(4);
    expect(bad.join('\n')).toMatch(/not-json: payload is not JSON/);
    expect(bad.join('\n')).toMatch(/bad-shape: verdict/);
    expect(bad.join('\n')).toMatch(/no-payload: no payload extension/);
    expect(bad.join('\n')).toMatch(/not a Basic resource/);
    store.close();
  });

  it('a later decision on the same pair replaces the earlier, also after reopening', async () => {
    const store = await cache();
    const log = await openLinkDecisionLog(store);
    const actions = createLinkActions({ sourceIds: new Set(['cdr', 'his']), decisions: log, userId: () => 'u1' });
    await actions.unlink(A, B, 'no');
    await actions.confirm(B, A);
    const reopened = await openLinkDecisionLog(store);
    expect(reopened.store.get(A, B)?.verdict).toBe('confirmed');
    expect(reopened.store.involving(A)).toHaveLength(1);
    store.close();
  });
});

describe('link actions', () => {
  it('refuses unknown sources and self-links before anything is remembered or audited', async () => {
    const log = await openLinkDecisionLog(undefined);
    const audit: LinkAuditEvent[] = [];
    const actions = createLinkActions({
      sourceIds: new Set(['cdr', 'his']),
      decisions: log,
      userId: () => 'u1',
      onAudit: (e) => audit.push(e),
    });
    await expect(actions.confirm(A, { sourceId: 'elsewhere', sourcePatientId: 'x' })).rejects.toBeInstanceOf(LinkRequestError);
    await expect(actions.unlink(A, { ...A })).rejects.toBeInstanceOf(LinkRequestError);
    expect(log.store.involving(A)).toEqual([]);
    expect(audit).toEqual([]);
  });

  it("audits who, when, what, the note and the matcher's verdict", async () => {
    const heard: LinkAuditEvent[] = [];
    const patients = new Map([
      [
        'cdr',
        { resourceType: 'Patient' as const, name: [{ family: '张', given: ['伟'] }], birthDate: '1968-03-12', gender: 'male' as const },
      ],
      [
        'his',
        { resourceType: 'Patient' as const, name: [{ family: '张', given: ['伟'] }], birthDate: '1968-03-21', gender: 'male' as const },
      ],
    ]);
    const actions = createLinkActions({
      sourceIds: new Set(['cdr', 'his']),
      decisions: await openLinkDecisionLog(undefined),
      userId: () => 'dr.wang',
      onAudit: (e) => heard.push(e),
      patientOf: (ref) => patients.get(ref.sourceId),
      now: () => new Date('2025-06-01T08:00:00Z'),
    });
    await actions.confirm(A, B, 'same wristband');
    expect(heard).toHaveLength(1);
    const [event] = heard;
    expect(event).toMatchObject({
      action: 'link-confirm',
      a: A,
      b: B,
      by: 'dr.wang',
      at: '2025-06-01T08:00:00.000Z',
      note: 'same wristband',
    });
    expect(event!.matcher?.outcome).toMatch(/linked|possible|not-linked/);
  });
});

describe('SeenPatients', () => {
  it('forgets the oldest records beyond its limit', () => {
    const seen = new SeenPatients(2);
    const found = (id: string) => ({
      resource: { resourceType: 'Patient' as const, id },
      provenance: { sourceId: 'cdr', sourceName: 'CDR', sourceKind: 'fhir' as const, nativeId: id, fetchedAt: '' },
    });
    seen.remember([found('1'), found('2'), found('3')]);
    expect(seen.get({ sourceId: 'cdr', sourcePatientId: '1' })).toBeUndefined();
    expect(seen.get({ sourceId: 'cdr', sourcePatientId: '3' })?.id).toBe('3');
  });
});
