import { describe, expect, it } from 'vitest';
import type { DocumentReference, Patient } from '@medplum/fhirtypes';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import { knownIdentityOfPatients } from '../../../../../src/main/services/privacy/known-identity.ts';
import { maskTimelineEntries } from '../../../../../src/main/services/privacy/mask-timeline.ts';
import { createTextScrubber } from '../../../../../src/main/services/privacy/scrub-text.ts';

const patient: Patient = {
  resourceType: 'Patient',
  id: 'pat-0001',
  identifier: [{ value: 'CDR-000001' }, { value: '110101196803120132' }],
  name: [
    { text: '张伟', family: '张', given: ['伟'] },
    { family: 'Zhang', given: ['Wei'] },
  ],
  telecom: [{ system: 'phone', value: '13811112222' }],
};
const known = knownIdentityOfPatients([patient]);
const provenance = [
  { sourceId: 'platform', sourceName: '集成平台', sourceKind: 'hl7v3' as const, nativeId: 'doc-1', fetchedAt: '2025-06-30T10:00:00Z' },
];
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

const document: DocumentReference = {
  resourceType: 'DocumentReference',
  id: 'doc-1',
  status: 'current',
  subject: { reference: 'Patient/pat-0001', display: '张伟' },
  description: '出院小结 — 张伟',
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>患者张伟，男，身份证110101196803120132。</p></div>' },
  content: [
    {
      attachment: {
        contentType: 'text/html; charset=utf-8',
        data: b64('<p>患者 张伟 (ZHANG WEI) 电话 138-1111-2222，病案号 CDR-000001</p>'),
        title: '出院小结 (HTML)',
      },
    },
    { attachment: { contentType: 'application/pdf', data: 'JVBERi0=' } },
  ],
};

const entries: TimelineEntry[] = [
  {
    id: 'platform:doc-1',
    kind: 'document',
    title: '出院小结 张伟',
    summary: 'Zhang^Wei discharged',
    codes: [],
    provenance,
    resource: document,
  },
  { id: 'cdr:Patient/pat-0001', kind: 'other', title: 'Patient', codes: [], provenance, resource: patient },
];

describe('maskTimelineEntries', () => {
  it('scrubs titles, narrative, reference displays and text attachments; masks Patients', () => {
    const original = structuredClone(entries);
    const masked = maskTimelineEntries(entries, known);
    expect(entries).toEqual(original);

    const doc = masked[0]!.resource as DocumentReference;
    expect(masked[0]!.title).toBe('出院小结 张*');
    expect(masked[0]!.summary).toBe('Z**** W** discharged');
    expect(doc.subject).toEqual({ reference: 'Patient/pat-0001', display: '张*' });
    expect(doc.description).toBe('出院小结 — 张*');
    expect(doc.text?.div).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>患者张*，男，身份证110101********0132。</p></div>');
    const html = unb64(doc.content[0]?.attachment.data);
    expect(html).toBe('<p>患者 张* (Z**** W**) 电话 ***-****-2222，病案号 *******001</p>');
    expect(doc.content[0]?.attachment.size).toBe(Buffer.byteLength(html));
    // A PDF cannot be rewritten by text rules; it passes through and the lead decides whether to show it.
    expect(doc.content[1]?.attachment.data).toBe('JVBERi0=');

    const maskedPatient = masked[1]!.resource as Patient;
    expect(maskedPatient.name?.[0]?.text).toBe('张*');
    expect(maskedPatient.identifier?.[1]?.value).toBe('110101********0132');
  });

  it('masks 身份证 and mobile numbers that the known identity does not list', () => {
    const scrub = createTextScrubber({ names: [], identifiers: [], phones: [] });
    expect(scrub('家属身份证 44010619900101002X 电话13900001111')).toBe('家属身份证 440106********002X 电话*******1111');
  });

  it('leaves unrelated text, codes and references alone', () => {
    const observation: TimelineEntry = {
      id: 'lis:obs-1',
      kind: 'observation',
      title: '葡萄糖',
      summary: '5.6 mmol/L',
      codes: [{ system: 'http://loinc.org', code: '2345-7' }],
      provenance,
      resource: {
        resourceType: 'Observation',
        id: 'obs-1',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
        subject: { reference: 'Patient/pat-0001' },
      },
    };
    expect(maskTimelineEntries([observation], known)).toEqual([observation]);
  });
});
