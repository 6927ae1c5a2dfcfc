/**
 * Who saw which images must be provable per session: the viewer's first read of a study in each
 * sign-in is an audited image view, not only the first since the workstation started (a user
 * signing in again days later read the same study without an image-view event).
 */
import { describe, expect, it } from 'vitest';
import { endpointFromConfig } from '../../src/adapters/dicomweb/index.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import type { AccessAuditEvent } from '../../src/main/services/access/audit-port.ts';
import { secureDicomweb } from '../../src/main/services/access/secured-dicomweb.ts';
import { createDicomwebProxy } from '../../src/main/services/dicomweb-proxy/index.ts';
import { securedDemoHospital } from '../support/secured-demo-hospital.ts';

const demo = securedDemoHospital({ cache: 'attack-dicomweb-audit' });

describe('image views audited per session', () => {
  it('signing out and in again, the same study read again is a new image-view event', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    const pacs = demo.config.sources.find((s) => s.kind === 'dicomweb');
    if (pacs?.kind !== 'dicomweb') throw new Error('the demo hospital has no PACS');
    const proxy = createDicomwebProxy({
      sources: [{ sourceId: pacs.id, endpoint: endpointFromConfig(pacs) }],
      cache: demo.cache,
      patientKeyFor: () => 'p',
    });
    const viewer = secureDicomweb(proxy, api);
    const readStudy = async () => {
      await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
      const opened = await api.handlers.openPatient({ refs: candidates[0]!.refs });
      const studyUid = opened.entries.find((e) => e.kind === 'imaging' && e.resource.resourceType === 'ImagingStudy')!.resource.id!;
      for (let i = 0; i < 2; i++) {
        const answer = await viewer(
          new Request(`http://127.0.0.1/dicom-web/${pacs.id}/studies/${studyUid}/series`, {
            headers: { accept: 'application/dicom+json' },
          }),
        );
        expect(answer.status).toBe(200);
        await answer.arrayBuffer();
      }
      await api.handlers.signOut({});
      return studyUid;
    };
    const first = await readStudy();
    const second = await readStudy();
    expect(second).toBe(first);
    // Once per session (not per request), in each session.
    expect(audit.filter((e) => e.action === 'image-view' && e.entity?.id === first)).toHaveLength(2);
    api.close();
  }, 180_000);

  it('another patient’s instance under 张伟’s study and series: refused (not-in-series) and on the record', async () => {
    const audit: AccessAuditEvent[] = [];
    const api = demo.securedApi(audit);
    const pacs = demo.config.sources.find((s) => s.kind === 'dicomweb');
    if (pacs?.kind !== 'dicomweb') throw new Error('the demo hospital has no PACS');
    const proxy = createDicomwebProxy({ sources: [{ sourceId: pacs.id, endpoint: endpointFromConfig(pacs) }] });
    const viewer = secureDicomweb(proxy, api);
    const other = demo.hospital.pacs!.plan.studies.find((s) => s.patient.syntheticId !== DEMO_PATIENT.fhirId)!;
    const json = async (path: string) => {
      const answer = await viewer(
        new Request(`http://127.0.0.1/dicom-web/${pacs.id}/${path}`, { headers: { accept: 'application/dicom+json' } }),
      );
      expect(answer.status, path).toBe(200);
      return (await answer.json()) as Record<string, { Value?: unknown[] }>[];
    };
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { candidates } = await api.handlers.searchPatients({ query: DEMO_PATIENT.residentId });
    const opened = await api.handlers.openPatient({ refs: candidates[0]!.refs });
    const studyUid = opened.entries.find((e) => e.kind === 'imaging' && e.resource.resourceType === 'ImagingStudy')!.resource.id!;
    const seriesUid = String((await json(`studies/${studyUid}/series`))[0]!['0020000E']!.Value![0]);
    await json(`studies/${studyUid}/series/${seriesUid}/metadata`);
    // The other patient's SOP Instance UID, as an attacker who read it elsewhere would know it: straight from the PACS.
    const basic =
      pacs.auth.type === 'basic' ? `Basic ${Buffer.from(`${pacs.auth.username}:${pacs.auth.password}`).toString('base64')}` : '';
    const direct = await fetch(`${pacs.baseUrl}/studies/${other.studyUid}/series/${other.series[0]!.uid}/instances`, {
      headers: { accept: 'application/dicom+json', ...(basic ? { authorization: basic } : {}) },
    });
    const otherInstance = String(((await direct.json()) as Record<string, { Value?: unknown[] }>[])[0]!['00080018']!.Value![0]);
    const answer = await viewer(
      new Request(`http://127.0.0.1/dicom-web/${pacs.id}/studies/${studyUid}/series/${seriesUid}/instances/${otherInstance}/frames/1`, {
        headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
      }),
    );
    expect(answer.status).toBe(403);
    expect(answer.headers.get('x-huizhen-error')).toBe('not-in-series');
    await answer.arrayBuffer();
    expect(audit.filter((e) => e.action === 'access-denied')).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        user: expect.objectContaining({ id: 'local:doctor' }),
        patient: { refs: expect.any(Array) },
        entity: { type: 'ImagingStudy', id: studyUid, detail: `frames: instance ${otherInstance} not in series ${seriesUid}` },
      }),
    ]);
    await api.handlers.signOut({});
    api.close();
  }, 180_000);
});
