import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecuredApi, type SecuredApi } from '../../../../../src/main/services/access/secured-api.ts';
import { createRolePolicy } from '../../../../../src/main/services/access/role-policy.ts';
import { createPrivacyMasking } from '../../../../../src/main/services/privacy/index.ts';
import type { AccessAuditEvent } from '../../../../../src/main/services/access/audit-port.ts';
import { dispatchApiCall, type DispatchResult } from '../../../../../src/main/services/api/dispatch.ts';
import { createPassphraseKeyProtector, openCacheStore, type CacheStore } from '../../../../../src/main/services/cache/index.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import { createWorkstation, type Workstation } from '../../../../../src/main/composition/index.ts';
import { cacheKeyOf } from '../../../../../src/main/services/patient-record/index.ts';
import { AccessConfigSchema } from '../../../../../src/shared/config/access.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../../../src/shared/config/privacy.ts';
import type { SourcePatientRef } from '../../../../../src/shared/domain/source.ts';
import type { Role } from '../../../../../src/shared/domain/user.ts';
import { careAllows, createWorld, secretOf, staff, studyUidOf, type World, type WorldPerson } from '../../../../fakes/access-world.ts';

/**
 * Issue 13, items 1–3, as properties over generated wards, roles and requests: whatever a
 * signed-in clinician's tab composes (refs of two people in one open, break-the-glass for one
 * person then an open with another's refs, repeated and interleaved calls, entryResources and
 * study views naming the other's entries), no reply, cache entry, fetch or audit line ever holds a
 * record the user has no grounds for; and what they may read still opens.
 */

const ROLES: readonly Role[] = ['ward-doctor', 'nurse', 'radiologist'];
const REASON = '急诊会诊，患者意识不清需查既往史';

type Action =
  | { type: 'search'; person: number }
  | { type: 'open'; picks: { person: number; source: number }[] }
  | { type: 'open-person'; person: number }
  | { type: 'break-glass'; picks: { person: number; source: number }[] }
  | { type: 'entries'; open: number; person: number }
  | { type: 'study'; person: number }
  | { type: 'confirm'; a: { person: number; source: number }; b: { person: number; source: number } }
  | { type: 'close'; open: number };

const personArb: fc.Arbitrary<WorldPerson> = fc.record({
  index: fc.constant(0),
  ward: fc.option(fc.constantFrom('CARD-1', 'NEUR-2'), { nil: undefined }),
  attending: fc.option(fc.constantFrom('D1001', 'D2002'), { nil: undefined }),
  imaging: fc.boolean(),
});

function actionArb(people: number): fc.Arbitrary<Action> {
  const person = fc.nat({ max: people - 1 });
  const pick = fc.record({ person, source: fc.nat({ max: 2 }) });
  return fc.oneof(
    fc.record({ type: fc.constant('search' as const), person }),
    fc.record({ type: fc.constant('open' as const), picks: fc.array(pick, { minLength: 1, maxLength: 6 }) }),
    fc.record({ type: fc.constant('open-person' as const), person }),
    fc.record({ type: fc.constant('break-glass' as const), picks: fc.array(pick, { minLength: 1, maxLength: 4 }) }),
    fc.record({ type: fc.constant('entries' as const), open: fc.nat({ max: 3 }), person }),
    fc.record({ type: fc.constant('study' as const), person }),
    fc.record({ type: fc.constant('confirm' as const), a: pick, b: pick }),
    fc.record({ type: fc.constant('close' as const), open: fc.nat({ max: 3 }) }),
  );
}

const scenarioArb = fc
  .record({ people: fc.array(personArb, { minLength: 2, maxLength: 4 }), role: fc.constantFrom(...ROLES) })
  .chain(({ people, role }) =>
    fc.record({
      people: fc.constant(people.map((p, index) => ({ ...p, index }))),
      role: fc.constant(role),
      actions: fc.array(actionArb(people.length), { minLength: 1, maxLength: 10 }),
    }),
  );

const key = (ref: SourcePatientRef) => `${ref.sourceId}/${ref.sourcePatientId}`;

/** Every record marker in a reply, as the refs they belong to. */
function secretsIn(value: unknown, world: World): SourcePatientRef[] {
  const text = JSON.stringify(value);
  return world.people.flatMap((_, i) => world.refsOf(i)).filter((ref) => text.includes(secretOf(ref)));
}

interface Rig {
  world: World;
  core: Workstation;
  api: SecuredApi;
  cache: CacheStore;
  audit: AccessAuditEvent[];
  dispose(): Promise<void>;
}

let worlds = 0;
async function rig(people: WorldPerson[], role: Role): Promise<Rig> {
  const world = createWorld(`${process.pid}${++worlds}`, people);
  const directory = mkdtempSync(join(tmpdir(), 'huizhen-access-prop-'));
  const cache = await openCacheStore({ directory, protector: createPassphraseKeyProtector('property test passphrase', { log2Cost: 12 }) });
  const core = await createWorkstation(world.config, { cache, createAdapter: (c) => world.createAdapter(c) });
  const audit: AccessAuditEvent[] = [];
  const api = createSecuredApi({
    core,
    methods: { local: async () => staff(role) },
    idleLockMinutes: 10,
    sessionMaxHours: 12,
    policy: createRolePolicy(),
    access: AccessConfigSchema.parse({ careWindowDays: 30 }),
    audit: async (event) => {
      audit.push(event);
    },
    masking: createPrivacyMasking(DEFAULT_PRIVACY_CONFIG),
  });
  await api.handlers.signInLocal({ username: role, password: 'x' });
  return {
    world,
    core,
    api,
    cache,
    audit,
    async dispose() {
      api.close();
      await core.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function runScenario({ people, role, actions }: { people: WorldPerson[]; role: Role; actions: Action[] }): Promise<void> {
  const r = await rig(people, role);
  const { world, api } = r;
  const granted = new Set<string>();
  const allowed = (ref: SourcePatientRef) => careAllows(role, people[world.personOf(ref)]!) || granted.has(key(ref));
  const showsGrounds = (ref: SourcePatientRef) =>
    granted.has(key(ref)) || (careAllows(role, people[world.personOf(ref)]!) && ref.sourceId === (role === 'radiologist' ? 'pacs' : 'cdr'));
  const opens: { viewId: string; person: number }[] = [];
  const searched = new Set<number>();
  const refOfPick = ({ person, source }: { person: number; source: number }) => world.refsOf(person)[source]!;
  const call = (method: string, payload: unknown): Promise<DispatchResult> => dispatchApiCall(api.handlers, method, payload);

  try {
    for (const action of actions) {
      switch (action.type) {
        case 'search': {
          const found = await call('searchPatients', { query: world.residentIdOf(action.person) });
          expect(found.ok).toBe(true);
          searched.add(action.person);
          break;
        }
        case 'open':
        case 'open-person': {
          const refs = action.type === 'open' ? action.picks.map(refOfPick) : world.refsOf(action.person);
          const persons = new Set(refs.map((ref) => world.personOf(ref)));
          const result = await call('openPatient', { refs });
          if (persons.size > 1) {
            // Refs of two people are never opened together, whatever grounds the user has for one of them.
            expect(result, 'an open naming two people').toMatchObject({
              ok: false,
              status: 403,
              error: { code: 'access-denied', denial: 'not-one-person' },
            });
            break;
          }
          const person = [...persons][0]!;
          const anyAllowed = refs.some(allowed);
          if (!result.ok) {
            if (action.type === 'open-person' && searched.has(person))
              expect(careAllows(role, people[person]!) || refs.some((ref) => granted.has(key(ref))), JSON.stringify(result)).toBe(false);
            // Liveness: one record that itself shows the grounds (its encounters, its study, a grant) always opens.
            if (new Set(refs.map(key)).size === 1) expect(showsGrounds(refs[0]!), JSON.stringify(result)).toBe(false);
            break;
          }
          expect(anyAllowed).toBe(true);
          if (action.type === 'open-person' && searched.has(person) && careAllows(role, people[person]!)) {
            // Liveness: a person found by a search and within the care rules opens whole.
            expect(secretsIn(result.value, world).map(key).sort()).toEqual(world.refsOf(person).map(key).sort());
          }
          const shown = secretsIn(result.value, world);
          for (const ref of shown) {
            expect(world.personOf(ref), 'a record of another person in the reply').toBe(person);
            expect(allowed(ref), `a record without grounds in the reply: ${key(ref)}`).toBe(true);
          }
          opens.push({ viewId: (result.value as { viewId: string }).viewId, person });
          break;
        }
        case 'break-glass': {
          const refs = action.picks.map(refOfPick);
          const persons = new Set(refs.map((ref) => world.personOf(ref)));
          const result = await call('breakGlass', { refs, reason: REASON });
          if (persons.size > 1) {
            expect(result, 'a break-the-glass grant asked for two people').toMatchObject({
              ok: false,
              status: 403,
              error: { denial: 'not-one-person' },
            });
            break;
          }
          if (result.ok) for (const ref of refs) granted.add(key(ref));
          break;
        }
        case 'entries': {
          const open = opens[action.open % Math.max(opens.length, 1)];
          if (!open) break;
          const ids = buildTimeline(world.refsOf(action.person).flatMap((ref) => world.recordOf(ref))).map((e) => e.id);
          const result = await call('entryResources', { viewId: open.viewId, entryIds: ids });
          if (!result.ok) break;
          for (const ref of secretsIn(result.value, world)) {
            expect(world.personOf(ref), 'entryResources served another person').toBe(open.person);
            expect(allowed(ref)).toBe(true);
          }
          break;
        }
        case 'study': {
          const owner = api.canViewStudy(studyUidOf(world.tag, action.person));
          if (!owner) break;
          const pacs = world.refsOf(action.person)[2]!;
          expect(role, 'a role without images was served a study').not.toBe('nurse');
          expect(people[action.person]!.imaging).toBe(true);
          expect(allowed(pacs), 'a study of a person without grounds').toBe(true);
          expect(owner.refs.map(key)).toContain(key(pacs));
          break;
        }
        case 'confirm': {
          // "Same person" on two records (a doctor's decision): it must not make two people one for access.
          await call('confirmLink', { a: refOfPick(action.a), b: refOfPick(action.b) });
          break;
        }
        case 'close': {
          const open = opens[action.open % Math.max(opens.length, 1)];
          if (!open) break;
          await call('closePatient', { viewId: open.viewId });
          opens.splice(opens.indexOf(open), 1);
          break;
        }
      }
      // Nothing without grounds was fetched from a system, or is in the cache.
      for (const fetchedKey of world.fetched.keys()) {
        const [sourceId, sourcePatientId] = fetchedKey.split('/') as [string, string];
        expect(allowed({ sourceId, sourcePatientId }), `fetched without grounds: ${fetchedKey}`).toBe(true);
      }
      for (const ref of people.flatMap((_, i) => world.refsOf(i))) {
        if (await r.cache.hasPatient(cacheKeyOf(ref))) expect(allowed(ref), `cached without grounds: ${key(ref)}`).toBe(true);
      }
      // Each audited open names one person, and only records with grounds.
      for (const event of r.audit.filter((e) => e.action === 'patient-open')) {
        const refs = event.patient?.refs ?? [];
        expect(new Set(refs.map((ref) => world.personOf(ref))).size).toBe(1);
        for (const ref of refs) expect(allowed(ref), `audited as a legitimate open: ${key(ref)}`).toBe(true);
      }
    }
  } finally {
    await r.dispose();
  }
}

describe('access is decided per person, before anything is fetched (issue 13, property-based)', () => {
  it('no composition of calls reads, fetches, caches or serves a record without grounds', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { numRuns: 60 });
  }, 120_000);

  it('the attack as reported: the treating doctor opens 张伟 with another patient’s refs; the nurse likewise', async () => {
    for (const role of ['ward-doctor', 'nurse'] as const) {
      const zhang: WorldPerson = { index: 0, ward: 'CARD-1', attending: 'D1001', imaging: true };
      const other: WorldPerson = { index: 1, ward: 'NEUR-2', imaging: true };
      await runScenario({
        people: [zhang, other],
        role,
        actions: [
          { type: 'search', person: 0 },
          { type: 'search', person: 1 },
          {
            type: 'open',
            picks: [
              { person: 0, source: 0 },
              { person: 1, source: 0 },
              { person: 1, source: 1 },
              { person: 1, source: 2 },
            ],
          },
          { type: 'entries', open: 0, person: 1 },
          { type: 'study', person: 1 },
        ],
      });
    }
  }, 60_000);

  it('break-the-glass for one person covers that person only, not another’s refs sent along', async () => {
    const inCare: WorldPerson = { index: 0, imaging: false };
    const other: WorldPerson = { index: 1, imaging: true };
    await runScenario({
      people: [inCare, other],
      role: 'ward-doctor',
      actions: [
        { type: 'break-glass', picks: [{ person: 0, source: 0 }] },
        {
          type: 'open',
          picks: [
            { person: 0, source: 0 },
            { person: 1, source: 0 },
            { person: 1, source: 2 },
          ],
        },
        { type: 'open', picks: [{ person: 0, source: 0 }] },
        { type: 'study', person: 1 },
      ],
    });
  }, 60_000);

  it('a doctor’s "same person" on two patients’ records does not make them one person for access', async () => {
    await runScenario({
      people: [
        { index: 0, ward: 'CARD-1', imaging: true },
        { index: 1, imaging: true },
      ],
      role: 'ward-doctor',
      actions: [
        { type: 'search', person: 0 },
        { type: 'search', person: 1 },
        { type: 'confirm', a: { person: 0, source: 0 }, b: { person: 1, source: 2 } },
        { type: 'confirm', a: { person: 0, source: 0 }, b: { person: 1, source: 0 } },
        {
          type: 'open',
          picks: [
            { person: 0, source: 0 },
            { person: 1, source: 0 },
            { person: 1, source: 2 },
          ],
        },
        { type: 'study', person: 1 },
      ],
    });
  }, 60_000);

  it('in an outage, a patient opened before still opens from the cache; one never opened is refused and stays out of it', async () => {
    const r = await rig(
      [
        { index: 0, ward: 'CARD-1', imaging: false },
        { index: 1, imaging: false },
      ],
      'nurse',
    );
    try {
      await r.api.handlers.searchPatients({ query: r.world.residentIdOf(0) });
      await r.api.handlers.openPatient({ refs: r.world.refsOf(0) });
      for (const s of ['cdr', 'lis', 'pacs']) r.world.down.add(s);
      // The care context comes from what the permitted open cached: his ward encounter.
      const again = await r.api.handlers.openPatient({ refs: r.world.refsOf(0) });
      expect(again.access.basis).toBe('ward');
      expect(secretsIn(again, r.world).map(key).sort()).toEqual(r.world.refsOf(0).map(key).sort());
      const [cdrOther] = r.world.refsOf(1);
      expect(await dispatchApiCall(r.api.handlers, 'openPatient', { refs: [cdrOther] })).toMatchObject({
        ok: false,
        status: 403,
        error: { denial: 'outside-care' },
      });
      expect(await r.cache.hasPatient(cacheKeyOf(cdrOther!))).toBe(false);
    } finally {
      await r.dispose();
    }
  }, 60_000);

  it('what the user may read still opens: the treating doctor and the ward nurse open their patient whole', async () => {
    for (const role of ['ward-doctor', 'nurse'] as const) {
      const r = await rig(
        [
          { index: 0, ward: 'CARD-1', attending: 'D1001', imaging: false },
          { index: 1, imaging: false },
        ],
        role,
      );
      try {
        await r.api.handlers.searchPatients({ query: r.world.residentIdOf(0) });
        const opened = await r.api.handlers.openPatient({ refs: r.world.refsOf(0) });
        expect(opened.access.basis).toBe(role === 'nurse' ? 'ward' : 'treating');
        expect(secretsIn(opened, r.world).map(key).sort()).toEqual(r.world.refsOf(0).map(key).sort());
      } finally {
        await r.dispose();
      }
    }
  }, 60_000);
});
