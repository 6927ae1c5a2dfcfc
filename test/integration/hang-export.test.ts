/**
 * The PACS hangs in the middle of a de-identified study export: it accepted the doctor's open
 * (the study is in the record) and then accepts every request and never answers. The export
 * ends at the source's deadline with what it could not fetch named — no answer waits for ever —
 * and the workstation answers the next call and closes.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { useAttackHost } from '../support/attack-host.ts';

const suite = useAttackHost({ pacsTimeoutMs: 1500 });

describe('a PACS that stops answering during a study export', () => {
  it('the export ends at the deadline with the failure named (no bare 500), the next call is answered', async () => {
    const tab = await suite.attack.tab();
    expect((await tab.call('signInLocal', { username: 'doctor', password: DEMO_PASSWORD })).status).toBe(200);
    const found = await tab.call('searchPatients', { query: DEMO_PATIENT.residentId });
    const opened = await tab.call('openPatient', { refs: (found.body['candidates'] as { refs: unknown[] }[])[0]!.refs });
    expect(opened.status).toBe(200);
    const study = (opened.body['entries'] as { kind: string; resource: { resourceType: string; id?: string } }[]).find(
      (e) => e.kind === 'imaging' && e.resource.resourceType === 'ImagingStudy',
    )!;
    suite.attack.pacs.hold();
    const before = suite.attack.pacs.asked.length;
    const exported = await tab.call('exportDeidentified', {
      viewId: opened.body['viewId'],
      kind: 'study',
      studyInstanceUid: study.resource.id,
    });
    expect(suite.attack.pacs.asked.length).toBeGreaterThan(before);
    // Before: 500 'internal' (the listing's 504 thrown past the exporter). Now the failure is named in the answer.
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body['files']).toBe(0);
    expect(exported.body['failures']).toEqual([expect.stringMatching(/^series \(the PACS answered 504\)/)]);
    expect((await tab.call('getSession')).status).toBe(200);
    await tab.call('signOut');
  }, 180_000);
});
