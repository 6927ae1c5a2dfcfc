// Issue 18, the order beside the images: over the demo hospital's real servers (FHIR CDR, Orthanc
// PACS, the HIS pushing over MLLP to the workstation's inbound listener) and through the secured
// API a radiologist signs in to, every study of 张伟 (synthetic) shows why it was ordered — from
// the CDR's ServiceRequest (the current CT; the brain MR, which has no report yet) and from the
// HIS's ORM^O01 (the prior CT) — each piece named with the system that said it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';
import { studyOrders } from '../../src/shared/domain/imaging-order-link.ts';
import { isImagingReportDocument, reportsForStudy, studyKeysOf } from '../../src/shared/domain/imaging-report-link.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { DEFAULT_SEED } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DEMO_CURRENT_CT, DEMO_PRIOR_CT, demoStudyUid } from '../../src/demo-hospital/synthetic/dicom-uid.ts';
import { DEMO_MR, DEMO_MR_CLINICAL_INFO, DEMO_MR_INDICATION, DEMO_MR_REQUESTER } from '../../src/demo-hospital/synthetic/imaging-orders.ts';
import {
  DEMO_PRIOR_CT_ORDER_INFO,
  DEMO_PRIOR_CT_ORDER_REASON,
  pushDemoImagingOrders,
} from '../../src/demo-hospital/his-mllp/his-imaging-orders.ts';
import { buildSeedPlan } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { freePort } from '../support/free-port.ts';

let hospital: DemoHospital;
let composed: ComposedWorkstation;
let cacheDir = '';
let inboundPort = 0;

const CT_UID = demoStudyUid(DEFAULT_SEED, DEMO_CURRENT_CT.key);
const PRIOR_UID = demoStudyUid(DEFAULT_SEED, DEMO_PRIOR_CT.key);
const MR_UID = demoStudyUid(DEFAULT_SEED, DEMO_MR.key);

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: 'small' });
  inboundPort = await freePort();
  cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-order-indication-'));
  const config = parseConfig({
    ...hospital.config,
    cache: { directory: cacheDir },
    inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his', sourceName: 'HIS 医嘱', patientIdAuthority: 'HIS' },
  });
  composed = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('order indication test passphrase', { log2Cost: 12 }),
  });
}, 180_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital?.stop();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

/** The radiologist opens 张伟 through the access layer; resolves with the entries the renderer would get. */
async function openAsRadiologist(): Promise<TimelineEntry[]> {
  return (await openAsRadiologistWithAccess()).entries;
}

async function openAsRadiologistWithAccess() {
  const api = composed.api;
  await api.handlers.signInLocal({ username: 'radiologist', password: DEMO_PASSWORD });
  const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.mrn });
  const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId));
  expect(zhang).toBeDefined();
  return api.handlers.openPatient({ refs: zhang!.refs, viewId: crypto.randomUUID() });
}

describe('the order behind each study, over the demo hospital (issue 18)', () => {
  it('the seed plan gives the brain MR the accession number the CDR’s order names', () => {
    const plan = buildSeedPlan(generateSyntheticHospital({ seed: DEFAULT_SEED }), { profile: 'small' });
    const mr = plan.studies.find((s) => s.studyUid === MR_UID);
    expect(mr?.accession).toBe(DEMO_MR.accession);
  });

  it('current CT and brain MR from the CDR, the prior CT from the HIS’s ORM^O01, each with its source; the MR has no report yet', async () => {
    expect(await pushDemoImagingOrders(inboundPort)).toEqual(['CA']);
    const entries = await openAsRadiologist();
    const orders = studyOrders(entries);

    const ct = orders.get(CT_UID) ?? [];
    expect(ct).toHaveLength(1);
    expect(ct[0]?.indication.join(' ')).toContain('咳嗽 1 周');
    expect(ct[0]?.matchedBy).toContain('accession');
    expect(ct[0]?.sources.map((s) => s.sourceId)).toEqual(['cdr']);
    expect(ct[0]?.requester).toBeTruthy();

    const mr = orders.get(MR_UID) ?? [];
    expect(mr).toHaveLength(1);
    // The reason in words and the referenced Condition, read from the CDR's own Condition.
    expect(mr[0]?.indication).toEqual([DEMO_MR_INDICATION, '原发性高血压']);
    expect(mr[0]?.clinicalInfo).toEqual([DEMO_MR_CLINICAL_INFO]);
    expect(mr[0]?.requester).toBe(DEMO_MR_REQUESTER);
    expect(mr[0]?.orderedAt).toBe('2023-09-04T16:20:00+08:00');
    expect(mr[0]?.matchedBy).toEqual(expect.arrayContaining(['accession', 'study-uid']));
    const mrStudy = entries.find((e) => e.kind === 'imaging' && studyKeysOf(e)?.studyUid === MR_UID);
    expect(mrStudy).toBeDefined();
    expect(reportsForStudy(studyKeysOf(mrStudy!)!, entries)).toEqual([]);

    const prior = orders.get(PRIOR_UID) ?? [];
    const his = prior.find((o) => o.sources.some((s) => s.sourceId === 'his'));
    expect(his?.indication).toEqual([DEMO_PRIOR_CT_ORDER_REASON]);
    expect(his?.clinicalInfo).toEqual([DEMO_PRIOR_CT_ORDER_INFO]);
    expect(his?.requester).toBe('李医生');
    expect(his?.sources.find((s) => s.sourceId === 'his')?.messageType).toMatch(/^ORM\^O01/);
  }, 180_000);

  it('the radiologist reads the platform’s CDA 检查报告 of the prior CT beside its images, and no other document', async () => {
    const opened = await openAsRadiologistWithAccess();
    const documents = opened.entries.filter((e) => e.resource.resourceType === 'DocumentReference');
    expect(documents.length).toBeGreaterThan(0);
    for (const d of documents) expect(isImagingReportDocument(d.resource)).toBe(true);
    const prior = opened.entries.find((e) => e.kind === 'imaging' && studyKeysOf(e)?.studyUid === PRIOR_UID);
    const reports = reportsForStudy(studyKeysOf(prior!)!, opened.entries);
    expect(reports.some((r) => r.document === true && r.impression !== undefined)).toBe(true);
    // The ward doctor's view of the same person has documents the radiologist's role still withholds.
    await composed.api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { candidates } = await composed.api.handlers.searchPatients({ query: DEMO_PATIENT.mrn });
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))!;
    const asDoctor = await composed.api.handlers.openPatient({ refs: zhang.refs, viewId: crypto.randomUUID() });
    const doctorDocuments = asDoctor.entries.filter((e) => e.resource.resourceType === 'DocumentReference');
    const withheldFromRadiologist = doctorDocuments.filter((d) => !isImagingReportDocument(d.resource));
    expect(withheldFromRadiologist.length).toBeGreaterThan(0);
    expect(opened.access.withheldTypes).toContain('DocumentReference');
    // Withheld documents are not this patient's study reports: the imaging panel has nothing to say about them.
    expect(opened.access.withheldStudyReportTypes ?? []).toEqual([]);
  }, 180_000);

  it('in privacy mode the orders still link and read the same (no patient identity in them to mask)', async () => {
    await composed.api.handlers.setPrivacyMode({ enabled: true });
    try {
      const entries = await openAsRadiologist();
      const mr = studyOrders(entries).get(MR_UID) ?? [];
      expect(mr[0]?.indication[0]).toBe(DEMO_MR_INDICATION);
      expect(JSON.stringify(mr)).not.toContain(DEMO_PATIENT.nameHanzi);
    } finally {
      await composed.api.handlers.setPrivacyMode({ enabled: false });
    }
  }, 180_000);
});
