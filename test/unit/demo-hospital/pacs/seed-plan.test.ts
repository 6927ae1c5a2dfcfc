import { describe, expect, it } from 'vitest';
import { DEMO_PACS_PATIENT_ID, buildSeedPlan, derivedUid, plannedInstanceCount } from '../../../../src/demo-hospital/pacs/seed-plan.ts';
import { generateSyntheticHospital } from '../../../../src/demo-hospital/synthetic/synthetic-hospital.ts';

describe('demo PACS seed plan', () => {
  const data = generateSyntheticHospital();

  it('gives 张伟 a ≥120-slice 512² CT, a prior CT and an MR in the full profile', () => {
    const plan = buildSeedPlan(data, { profile: 'full' });
    const demo = plan.studies.filter((s) => s.patient.id === DEMO_PACS_PATIENT_ID);
    expect(demo[0]!.patient).toMatchObject({ name: 'Zhang^Wei=张^伟', issuer: 'HZDEMO-PACS', sex: 'M', birthDate: '19680312' });
    const stacks = demo.flatMap((s) => s.series.filter((se) => se.kind === 'ct-phantom').map((se) => ({ date: s.date, ...se })));
    expect(stacks.map((s) => [s.date, s.kind === 'ct-phantom' ? s.slices : 0, s.kind === 'ct-phantom' ? s.rows : 0])).toEqual([
      ['20250520', 200, 512],
      ['20240311', 120, 512],
    ]);
    expect(demo.some((s) => s.series.some((se) => se.kind === 'mr-phantom'))).toBe(true);
    // Compressed transfer syntaxes for the viewer: JPEG-LS, JPEG 2000, RLE.
    const files = plan.studies.flatMap((s) => s.series.flatMap((se) => (se.kind === 'sample' ? [se.file] : [])));
    expect(files.some((f) => f.endsWith('jpeg_ls_lossless.dcm'))).toBe(true);
    expect(files.some((f) => f.endsWith('J2KI.dcm'))).toBe(true);
    expect(files.some((f) => f.endsWith('RLE.dcm'))).toBe(true);
  });

  it('is deterministic for a seed, differs across seeds, and has valid unique UIDs', () => {
    const a = buildSeedPlan(data, { profile: 'small' });
    expect(buildSeedPlan(generateSyntheticHospital(), { profile: 'small' })).toEqual(a);
    const other = buildSeedPlan(generateSyntheticHospital({ seed: 7 }), { profile: 'small' });
    expect(other.studies[0]!.studyUid).not.toBe(a.studies[0]!.studyUid);
    const uids = a.studies.flatMap((s) => [s.studyUid, ...s.series.map((se) => se.uid)]);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    expect(derivedUid(1, 'x')).toBe(derivedUid(1, 'x'));
    expect(new Set(a.patients.map((p) => p.id)).size).toBe(a.patients.length);
    expect(plannedInstanceCount(a)).toBeLessThan(100);
  });
});
