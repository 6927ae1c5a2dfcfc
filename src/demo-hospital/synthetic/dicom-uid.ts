/**
 * DICOM UIDs the demo derives from a seed and a stable name, so the PACS seeder and the
 * synthetic record (a report naming its study) agree without sharing state.
 */
import { createHash } from 'node:crypto';

/** UUID-derived UID (2.25.<decimal>, PS3.5 B.2) from a stable name: deterministic, ≤ 44 chars. */
export function derivedUid(seed: number, name: string): string {
  const digest = createHash('sha256').update(`${seed}|${name}`).digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString(10)}`;
}

/** The demo patient's id in the PACS (not the FHIR id: PACS register their own). */
export const DEMO_PACS_PATIENT_ID = 'P10000001';

/** 张伟's current chest CT: the first study the seeder plans, hence its accession number. */
export const DEMO_CURRENT_CT = { key: 'ct-2025', accession: 'A202500001', date: '2025-05-20', time: '09:30:00' } as const;

/** 张伟's prior chest CT (the seeder's second study); the platform's CDA 检查报告 reports it. */
export const DEMO_PRIOR_CT = { key: 'ct-2024', accession: 'A202400002', date: '2024-03-11', time: '14:20:00' } as const;

export function demoStudyUid(seed: number, key: string): string {
  return derivedUid(seed, `study/${DEMO_PACS_PATIENT_ID}/${key}`);
}
