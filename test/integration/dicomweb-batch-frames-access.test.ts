/**
 * The frame batch (x-huizhen-frames) behind the same gate as every DICOMweb request, with the real
 * demo hospital, Orthanc and the workstation's encrypted cache: a study outside the signed-in
 * user's open record is refused before the proxy — and so the cache — sees the request; a signed-out
 * session is refused; the open study's batch reaches the proxy, is audited as an image view of that
 * study, and (nothing cached yet) is refused as not cached without a request to the PACS.
 */
import { describe, expect, it } from 'vitest';
import { endpointFromConfig } from '../../src/adapters/dicomweb/index.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import type { AccessAuditEvent } from '../../src/main/services/access/audit-port.ts';
import { secureDicomweb } from '../../src/main/services/access/secured-dicomweb.ts';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { securedDemoHospital } from '../support/secured-demo-hospital.ts';

const demo = securedDemoHospital({ cache: 'batch-frames-access' });
const ACCEPT = 'application/octet-stream; transfer-syntax=*';

describe('frame batch through the access gate', () => {
  it('refuses a study outside the open record before the proxy reads anything; the open study’s batch is audited', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    const pacs = demo.config.sources.find((s) => s.kind === 'dicomweb');
    if (pacs?.kind !== 'dicomweb') throw new Error('the demo hospital has no PACS');
    const reached: string[] = [];
    const proxy = createDicomwebProxy({
      sources: [{ sourceId: pacs.id, endpoint: endpointFromConfig(pacs) }],
      cache: demo.cache,
      patientKeyFor: () => 'patient-batch-access',
    });
    const gate = secureDicomweb((request) => {
      reached.push(new URL(request.url).pathname);
      return proxy(request);
    }, api);
    const batch = (studyUid: string) =>
      gate(
        new Request(
          `http://127.0.0.1/dicom-web/${pacs.id}/studies/${studyUid}/series/2.25.1/x-huizhen-frames?instances=2.25.1.1,2.25.1.2`,
          {
            headers: { accept: ACCEPT },
          },
        ),
      );

    const someStudy = demo.hospital.pacs!.plan.studies[0]!.studyUid;
    expect((await batch(someStudy)).status).toBe(401);
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourcePatientId === DEMO_PATIENT.fhirId))!;
    const opened = await api.handlers.openPatient({ refs: zhang.refs });
    const ownStudies = new Set(opened.entries.filter((e) => e.kind === 'imaging').map((e) => e.resource.id!));
    const own = [...ownStudies][0]!;
    const foreign = demo.hospital.pacs!.plan.studies.find((s) => !ownStudies.has(s.studyUid))!.studyUid;

    const refused = await batch(foreign);
    expect(refused.status).toBe(403);
    expect(reached).toEqual([]);
    expect(audit.some((e) => e.entity?.id === foreign)).toBe(false);

    const notCached = await batch(own);
    expect(notCached.status).toBe(409);
    expect(notCached.headers.get('x-huizhen-error')).toBe('not-cached');
    expect(reached).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'image-view' && e.entity?.id === own)).toHaveLength(1);
    api.close();
  });
});
