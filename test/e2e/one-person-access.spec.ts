import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { createPassphraseKeyProtector, openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { cacheKeyOf } from '../../src/main/services/patient-record/index.ts';
import type { PatientCandidate } from '../../src/shared/domain/patient.ts';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';
import { openAppAs } from './support.ts';

/**
 * Issue 13, items 1–3, replayed as an attacker holding a signed-in clinician's tab would: calls
 * composed by a script in the page (same origin, same cookie) to the browser host. 张伟's ref plus
 * another patient's refs in one open; that patient's entries through entryResources and his study
 * through the DICOMweb route; and the encrypted cache checked afterwards for anything of him.
 */

/** 杨俊杰: records in all five systems and a CT; not on CARD-1, not attended by D1001. */
const OTHER = generateSyntheticHospital().patients[1]!;

interface Reply<T = unknown> {
  status: number;
  body: T;
}

/** A call as a script in the signed-in tab would make it. */
async function callFromTab<T = unknown>(page: Page, method: string, payload: unknown): Promise<Reply<T>> {
  return page.evaluate(
    async ({ method, payload }) => {
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      return { status: response.status, body: await response.json() };
    },
    { method, payload },
  );
}

async function studyFromTab(page: Page, uid: string): Promise<number> {
  return page.evaluate(
    async (path) => (await fetch(path, { headers: { accept: 'application/dicom+json' } })).status,
    `/dicom-web/pacs/studies/${uid}/series`,
  );
}

async function candidateFor(page: Page, query: string): Promise<PatientCandidate> {
  const found = await callFromTab<{ candidates: PatientCandidate[] }>(page, 'searchPatients', { query });
  expect(found.status).toBe(200);
  expect(found.body.candidates).toHaveLength(1);
  return found.body.candidates[0]!;
}

/** A second, read-only look into the browser host's encrypted cache (WAL: the host keeps it open). */
async function openHostCache(): Promise<CacheStore> {
  const home = process.env.HUIZHEN_E2E_HOME;
  const passphrase = process.env.HUIZHEN_E2E_CACHE_PASSPHRASE;
  if (!home || !passphrase) throw new Error('run through playwright.config.ts (global setup sets the cache home and passphrase)');
  return openCacheStore({ directory: join(home, 'cache'), protector: createPassphraseKeyProtector(passphrase) });
}

/** Per record: whether the cache holds it, and at which revision (unchanged means nothing was written). */
async function cacheState(cache: CacheStore, refs: readonly SourcePatientRef[]): Promise<string[]> {
  return Promise.all(
    refs.map(
      async (ref) =>
        `${cacheKeyOf(ref)}=${(await cache.hasPatient(cacheKeyOf(ref))) ? ((await cache.revisionOf(cacheKeyOf(ref))) ?? 'held') : 'absent'}`,
    ),
  );
}

test.describe('one decision per person, before anything is fetched (issue 13)', () => {
  test('as the ward doctor and as the nurse: 张伟 plus another patient’s refs is refused and nothing of him is read, served or cached', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    const cache = await openHostCache();
    try {
      let other: PatientCandidate | undefined;
      let before: string[] = [];
      for (const username of ['doctor', 'nurse'] as const) {
        await openAppAs(page, username);
        await expect(page.getByTestId('patient-search-input')).toBeVisible();
        const zhang = await candidateFor(page, DEMO_PATIENT.residentId);
        other = await candidateFor(page, OTHER.residentId!);
        expect(other.refs).toHaveLength(5);
        if (username === 'doctor') before = await cacheState(cache, other.refs);

        // The attack as reported, and variants: his refs with 张伟's, in either order.
        for (const refs of [
          [zhang.refs[0]!, ...other.refs],
          [...zhang.refs, ...other.refs],
          [...other.refs, zhang.refs[0]!],
        ]) {
          const attempt = await callFromTab<{ error: { code: string; denial?: string }; entries?: TimelineEntry[] }>(page, 'openPatient', {
            refs,
          });
          expect(attempt.status, `${username}: ${JSON.stringify(attempt.body).slice(0, 200)}`).toBe(403);
          expect(attempt.body.error).toMatchObject({ code: 'access-denied', denial: 'not-one-person' });
          expect(JSON.stringify(attempt.body)).not.toContain(OTHER.displayName);
        }
        // His records alone are outside this user's care.
        const alone = await callFromTab<{ error: { denial?: string } }>(page, 'openPatient', { refs: other.refs });
        expect(alone.status).toBe(403);
        expect(alone.body.error.denial).toBe('outside-care');
        // Nothing of him was fetched into the cache by any of it.
        expect(await cacheState(cache, other.refs)).toEqual(before);
      }

      // His entry ids and study, as someone with grounds sees them (the radiologist: he has imaging).
      await openAppAs(page, 'radiologist');
      await candidateFor(page, OTHER.residentId!);
      const legit = await callFromTab<{ viewId: string; entries: TimelineEntry[] }>(page, 'openPatient', { refs: other!.refs });
      expect(legit.status).toBe(200);
      const hisEntries = legit.body.entries.map((e) => e.id);
      const hisStudy = legit.body.entries.find((e) => e.kind === 'imaging')?.resource.id;
      expect(hisEntries.length).toBeGreaterThan(10);
      expect(hisStudy).toMatch(/^[0-9.]+$/);

      for (const username of ['doctor', 'nurse'] as const) {
        await openAppAs(page, username);
        const zhang = await candidateFor(page, DEMO_PATIENT.residentId);
        const opened = await callFromTab<{ viewId: string; entries: TimelineEntry[] }>(page, 'openPatient', { refs: zhang.refs });
        expect(opened.status).toBe(200);
        expect(JSON.stringify(opened.body)).not.toContain(OTHER.displayName);
        // His entries through 张伟's open, and his study through the viewer's route: refused.
        const resources = await callFromTab(page, 'entryResources', { viewId: opened.body.viewId, entryIds: hisEntries.slice(0, 20) });
        expect(resources.status).toBe(400);
        expect(JSON.stringify(resources.body)).not.toContain(OTHER.displayName);
        expect(await studyFromTab(page, hisStudy!)).toBe(403);
        // Nor is a view of his entries recorded against 张伟's open (the document/image-view gate).
        expect((await callFromTab(page, 'recordView', { viewId: opened.body.viewId, entryId: hisEntries[0] })).status).toBe(400);
        // 张伟's own study still shows to the doctor; a nurse's role reads no images.
        const own = opened.body.entries.find((e) => e.kind === 'imaging')?.resource.id;
        if (username === 'doctor') expect(await studyFromTab(page, own!)).toBe(200);
        else expect(own).toBeUndefined();
        await callFromTab(page, 'closePatient', { viewId: opened.body.viewId });
      }
    } finally {
      cache.close();
    }
  });
});
