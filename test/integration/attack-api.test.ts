/**
 * An attacker holding a signed-in clinician's tab composes API calls over the real browser host
 * (its cookie, its origin): calls repeated, fed ids of another patient, of another view, of
 * entries the role may not read, and chained (a link confirmed, then an open that leans on it).
 * Every refusal is decided in main, per person, before anything is fetched; bad input gets a
 * typed error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { useAttackHost, type AttackHost, type Tab } from '../support/attack-host.ts';

const suite = useAttackHost();

interface Ref {
  sourceId: string;
  sourcePatientId: string;
}
interface Entry {
  id: string;
  kind: string;
  resource: { resourceType: string; id?: string };
}

/** 杨俊杰: his records in five systems, none on CARD-1 or attended by the demo doctor. */
const STRANGER = 1;

async function signIn(tab: Tab, username: string): Promise<void> {
  const answer = await tab.call('signInLocal', { username, password: DEMO_PASSWORD });
  expect(answer.status, JSON.stringify(answer.body.error)).toBe(200);
}

async function findRefs(tab: Tab, query: string): Promise<Ref[]> {
  const found = await tab.call('searchPatients', { query });
  expect(found.status).toBe(200);
  const candidates = found.body['candidates'] as { refs: Ref[] }[];
  expect(candidates).toHaveLength(1);
  return candidates[0]!.refs;
}

/** The CDR requests since `from` that name any of these patient ids. */
const cdrAskedFor = (from: number, ids: readonly string[]): string[] =>
  suite.hospital.fhir.requests
    .slice(from)
    .map((r) => r.url)
    .filter((url) => ids.some((id) => url.includes(id)));

/** Sends a POST over a plain socket with the tab's cookie and returns the answer's status line, whatever happens to the rest. */
/** A synthetic record for 张伟 created in the demo CDR (FHIR create); its server-assigned id. */
async function postToCdr(resource: { resourceType: string }): Promise<string> {
  const posted = await fetch(`${suite.hospital.fhirBaseUrl}/${resource.resourceType}`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(resource),
  });
  expect(posted.status).toBe(201);
  return ((await posted.json()) as { id: string }).id;
}

async function statusLineOf(host: AttackHost, tab: Tab, path: string, body: string): Promise<string> {
  const cookie = await tab.cookie();
  return new Promise((resolve, reject) => {
    const socket = connect(host.host.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) {
        resolve(answer.slice(0, answer.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', () => (answer ? undefined : reject(new Error('no answer before the reset'))));
    socket.on('close', () => reject(new Error(`closed with ${JSON.stringify(answer.slice(0, 100))}`)));
    socket.write(
      [
        `POST ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${host.host.port}`,
        `Origin: ${host.host.origin}`,
        `Cookie: ${cookie}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(body);
  });
}

describe('API compositions an attacker can make from a signed-in tab', () => {
  it('a link the screen never offered cannot pull a stranger’s records into a ward patient’s open', async () => {
    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    const zhang = await findRefs(tab, DEMO_PATIENT.residentId);
    const stranger = suite.hospital.data.patients[STRANGER]!;
    const strangerRefs = await findRefs(tab, stranger.residentId!);
    // On his own, the stranger is outside this doctor's care.
    const direct = await tab.call('openPatient', { refs: strangerRefs });
    expect(direct.status).toBe(403);
    expect(direct.body.error).toMatchObject({ code: 'access-denied', denial: 'outside-care' });

    // The composition: "these are one person" for 张伟's CDR record and the stranger's, then an open of both.
    const asked = suite.hospital.fhir.requests.length;
    const link = await tab.call('confirmLink', { a: zhang[0], b: strangerRefs[0], note: 'devtools' });
    expect(link.status, JSON.stringify(link.body)).toBe(403);
    expect(link.body.error).toMatchObject({ code: 'access-denied' });
    const open = await tab.call('openPatient', { refs: [...zhang, ...strangerRefs] });
    expect(open.status).toBe(403);
    expect(JSON.stringify(open.body)).not.toContain(stranger.displayName);
    expect(
      cdrAskedFor(
        asked,
        strangerRefs.map((r) => r.sourcePatientId),
      ),
    ).toEqual([]);

    // Nor may the doctor take records out of a patient they do not have open (another clinician would miss them).
    const split = await tab.call('unlinkPatients', { a: strangerRefs[0], b: strangerRefs[1], note: 'devtools' });
    expect(split.status).toBe(403);
    expect(split.body.error).toMatchObject({ code: 'access-denied', denial: 'not-one-person' });
    // The screen's own link actions still work: unlink in the open patient's banner, relink the pair, confirm a search result.
    const opened = await tab.call('openPatient', { refs: zhang });
    expect(opened.status).toBe(200);
    const [first, second] = zhang;
    expect((await tab.call('unlinkPatients', { a: first, b: second, note: 'test' })).status).toBe(200);
    expect((await tab.call('closePatient', { viewId: opened.body['viewId'] })).status).toBe(200);
    expect((await tab.call('confirmLink', { a: first, b: second, note: 'test relink' })).status).toBe(200);
    expect((await tab.call('confirmLink', { a: strangerRefs[0], b: strangerRefs[1], note: 'one search result' })).status).toBe(200);
    await tab.call('signOut');
  }, 180_000);

  it('entry ids, view ids and study UIDs fed from another session or patient: refused in main, nothing the role may not read', async () => {
    const doctorTab = await suite.attack.tab();
    await signIn(doctorTab, 'doctor');
    const zhang = await findRefs(doctorTab, DEMO_PATIENT.residentId);
    const doctorOpen = await doctorTab.call('openPatient', { refs: zhang });
    const doctorView = doctorOpen.body['viewId'] as string;
    const doctorEntries = doctorOpen.body['entries'] as Entry[];
    const withheldFromRadiologist = doctorEntries.filter((e) =>
      ['MedicationRequest', 'Composition', 'MedicationStatement'].includes(e.resource.resourceType),
    );
    expect(withheldFromRadiologist.length).toBeGreaterThan(0);
    await doctorTab.call('signOut');

    // The radiologist at the same workstation, in another tab, with the doctor's ids in hand.
    const tab = await suite.attack.tab();
    await signIn(tab, 'radiologist');
    const opened = await tab.call('openPatient', { refs: await findRefs(tab, DEMO_PATIENT.residentId) });
    expect(opened.status).toBe(200);
    const viewId = opened.body['viewId'] as string;
    const own = opened.body['entries'] as Entry[];
    expect(own.some((e) => withheldFromRadiologist.some((w) => w.id === e.id))).toBe(false);
    for (const entry of withheldFromRadiologist.slice(0, 5)) {
      const read = await tab.call('entryResources', { viewId, entryIds: [entry.id] });
      expect(read.status, entry.resource.resourceType).toBe(400);
      expect(read.body.error?.code).toBe('invalid-request');
      expect((await tab.call('recordView', { viewId, entryId: entry.id })).status).toBe(400);
    }
    // The doctor's view is not hers, whatever she asks of it.
    for (const [method, body] of [
      ['entryResources', { viewId: doctorView, entryIds: [doctorEntries[0]!.id] }],
      ['recordView', { viewId: doctorView, entryId: doctorEntries[0]!.id }],
      ['exportDeidentified', { viewId: doctorView, kind: 'timeline' }],
      ['patientAlerts', { viewId: doctorView }],
    ] as const) {
      const answer = await tab.call(method, body);
      expect(answer.status, method).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(answer.body)).not.toContain(DEMO_PATIENT.residentId);
    }
    // A study export names a study of the open patient, never another's (decided before the PACS is asked).
    const other = suite.hospital.pacs!.plan.studies.find((st) => st.patient.syntheticId !== DEMO_PATIENT.fhirId)!;
    const before = suite.attack.pacs.asked.length;
    const exported = await tab.call('exportDeidentified', { viewId, kind: 'study', studyInstanceUid: other.studyUid });
    expect(exported.status).toBe(400);
    expect(suite.attack.pacs.asked.slice(before).filter((line) => line.includes(other.studyUid))).toEqual([]);
    await tab.call('signOut');
    // Signed out, the same tab's calls answer 401 and name no one.
    const after = await tab.call('entryResources', { viewId, entryIds: [own[0]!.id] });
    expect(after.status).toBe(401);
  }, 180_000);

  it('the nurse and the administrator: capabilities refused in main, the console names no patient', async () => {
    const tab = await suite.attack.tab();
    await signIn(tab, 'nurse');
    const opened = await tab.call('openPatient', { refs: await findRefs(tab, DEMO_PATIENT.residentId) });
    expect(opened.status).toBe(200);
    const viewId = opened.body['viewId'] as string;
    expect((await tab.call('exportDeidentified', { viewId, kind: 'timeline' })).body.error).toMatchObject({ code: 'access-denied' });
    expect(
      (await tab.call('confirmLink', { a: { sourceId: 'cdr', sourcePatientId: 'x' }, b: { sourceId: 'his', sourcePatientId: 'y' } }))
        .status,
    ).toBe(403);
    expect((await tab.call('adminConfiguration')).status).toBe(403);
    await tab.call('signOut');

    await signIn(tab, 'admin');
    for (const [method, body] of [
      ['searchPatients', { query: DEMO_PATIENT.residentId }],
      ['openPatient', { refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }] }],
      ['entryResources', { viewId, entryIds: ['x'] }],
      ['listWorklist', { from: 'cache' }],
      ['breakGlass', { refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }], reason: 'devtools emergency' }],
    ] as const) {
      const answer = await tab.call(method, body);
      expect(answer.status, method).toBe(method === 'entryResources' ? 400 : 403);
    }
    const console = await Promise.all([
      tab.call('adminSourceHealth', { range: '24h' }),
      tab.call('adminConfiguration'),
      tab.call('adminAuditSearch', { userId: 'D1001' }),
    ]);
    const text = JSON.stringify(console.map((a) => a.body));
    for (const secret of [DEMO_PATIENT.nameHanzi, DEMO_PATIENT.residentId, DEMO_PATIENT.mrn, DEMO_PATIENT.fhirId])
      expect(text).not.toContain(secret);
    await tab.call('signOut');
  }, 180_000);

  it('bad input gets a typed error and changes nothing: oversized, malformed, mistyped, unknown, wrong verb, repeated', async () => {
    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    // Over a raw socket: the host answers 413 while the body is still arriving, then drops the rest (fetch reports the reset instead).
    expect(await statusLineOf(suite.attack, tab, '/api/searchPatients', JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) }))).toMatch(
      /^HTTP\/1\.1 413 /,
    );
    const malformed = await tab.raw('/api/searchPatients', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(malformed.status).toBe(400);
    const notJson = await tab.raw('/api/searchPatients', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'query' });
    expect(notJson.status).toBe(415);
    expect((await tab.raw('/api/getSession', { method: 'GET' })).status).toBe(405);
    expect((await tab.call('__proto__')).body.error?.code).toBe('unknown-method');
    expect((await tab.call('constructor')).body.error?.code).toBe('unknown-method');
    for (const body of [
      { refs: 'all' },
      { refs: [] },
      { refs: [{ sourceId: 'cdr' }] },
      { refs: [{ sourceId: 'cdr', sourcePatientId: DEMO_PATIENT.fhirId }], extra: 1 },
    ]) {
      const answer = await tab.call('openPatient', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.code).toBe('invalid-request');
    }
    // The same refusal a hundred times over is a hundred typed refusals, and the session still works.
    const repeated = await Promise.all(
      Array.from({ length: 100 }, (_, i) => tab.call('entryResources', { viewId: `guess-${i}`, entryIds: ['x'] })),
    );
    expect(new Set(repeated.map((a) => `${a.status} ${a.body.error?.code}`))).toEqual(new Set(['400 invalid-request']));
    expect((await tab.call('getSession')).status).toBe(200);
    expect(suite.attack.lines.filter((line) => /failed: /.test(line) && /API/.test(line))).toEqual([]);
    await tab.call('signOut');
  }, 180_000);

  it('the radiologist reads the orders behind 张伟’s studies, never his other orders (a consult posted to the CDR)', async () => {
    // A synthetic, non-imaging order for 张伟 in the CDR: a psychiatric consult with its reason.
    const consult = {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '409063005', display: 'Counseling' }], text: '会诊' }],
      code: { text: '精神科会诊 Psychiatry consult' },
      reasonCode: [{ text: 'ATTACK-TEST 抑郁发作' }],
      subject: { reference: `Patient/${DEMO_PATIENT.fhirId}` },
      authoredOn: '2025-03-01T09:00:00+08:00',
      identifier: [{ system: 'urn:huizhen:test:orders', value: 'ATTACK-CONSULT-1' }],
    };
    const consultId = await postToCdr(consult);

    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    const doctorOpen = await tab.call('openPatient', { refs: await findRefs(tab, DEMO_PATIENT.residentId) });
    const doctorOrders = (doctorOpen.body['entries'] as Entry[]).filter((e) => e.resource.resourceType === 'ServiceRequest');
    const consultEntry = doctorOrders.find((e) => e.resource.id === consultId)!;
    expect(consultEntry).toBeDefined();
    await tab.call('signOut');

    await signIn(tab, 'radiologist');
    const opened = await tab.call('openPatient', { refs: await findRefs(tab, DEMO_PATIENT.residentId) });
    expect(opened.status).toBe(200);
    const viewId = opened.body['viewId'] as string;
    const orders = (opened.body['entries'] as Entry[]).filter((e) => e.resource.resourceType === 'ServiceRequest');
    // The imaging orders stay (the side panel's 检查申请), the consult does not, and it is counted as withheld.
    expect(orders.map((e) => e.resource.id).sort()).toEqual(
      doctorOrders
        .filter((e) => e.id !== consultEntry.id)
        .map((e) => e.resource.id)
        .sort(),
    );
    expect(orders.length).toBeGreaterThan(0);
    expect(opened.body['access']).toMatchObject({ withheldTypes: expect.arrayContaining(['ServiceRequest']) });
    expect(JSON.stringify(opened.body)).not.toContain('ATTACK-TEST');
    // Asked for by its entry id from the doctor's session: refused.
    expect((await tab.call('entryResources', { viewId, entryIds: [consultEntry.id] })).status).toBe(400);
    expect((await tab.call('recordView', { viewId, entryId: consultEntry.id })).status).toBe(400);
    const imagingOrders = await tab.call('entryResources', { viewId, entryIds: orders.map((e) => e.id) });
    expect(imagingOrders.status).toBe(200);
    // Her de-identified export of the timeline takes the same rule: the imaging orders' words, never the consult's.
    const exported = await tab.call('exportDeidentified', { viewId, kind: 'timeline' });
    expect(exported.status, JSON.stringify(exported.body.error)).toBe(200);
    const written = readdirSync(exported.body['directory'] as string, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(written.length).toBeGreaterThan(0);
    const text = written.map((f) => readFileSync(join(f.parentPath, f.name), 'utf8')).join('\n');
    expect(text).toContain('ServiceRequest');
    expect(text).not.toContain('ATTACK-TEST');
    expect(text).not.toContain('精神科会诊');
    await tab.call('signOut');
  }, 180_000);
  it('the radiologist reads the reports of 张伟’s own studies, never a document that names another study (a pathology report posted to the CDR)', async () => {
    // A synthetic 病理报告 for 张伟 that names its specimen by an accession number and a Study UID no study of his carries.
    const pathology = {
      resourceType: 'DocumentReference',
      status: 'current',
      type: { text: '病理报告 Pathology report' },
      subject: { reference: `Patient/${DEMO_PATIENT.fhirId}` },
      date: '2025-03-02T09:00:00+08:00',
      description: 'ATTACK-TEST 病理诊断',
      context: {
        related: [
          { identifier: { type: { coding: [{ code: 'ACSN' }] }, value: 'ATTACK-PATH-1' } },
          { identifier: { system: 'urn:dicom:uid', value: 'urn:oid:1.2.826.0.1.3680043.8.498.999999' } },
        ],
      },
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('ATTACK-TEST 病理诊断').toString('base64') } }],
    };
    const documentId = await postToCdr(pathology);

    const tab = await suite.attack.tab();
    await signIn(tab, 'doctor');
    const doctorOpen = await tab.call('openPatient', { refs: await findRefs(tab, DEMO_PATIENT.residentId) });
    const documentEntry = (doctorOpen.body['entries'] as Entry[]).find((e) => e.resource.id === documentId)!;
    expect(documentEntry).toBeDefined();
    await tab.call('signOut');

    await signIn(tab, 'radiologist');
    const opened = await tab.call('openPatient', { refs: await findRefs(tab, DEMO_PATIENT.residentId) });
    expect(opened.status).toBe(200);
    const viewId = opened.body['viewId'] as string;
    const documents = (opened.body['entries'] as Entry[]).filter((e) => e.resource.resourceType === 'DocumentReference');
    // The prior CT's 检查报告 stays (it names a study of this record); the pathology report does not.
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.map((e) => e.resource.id)).not.toContain(documentId);
    expect(JSON.stringify(opened.body)).not.toContain('ATTACK-TEST');
    expect(opened.body['access']).toMatchObject({ withheldTypes: expect.arrayContaining(['DocumentReference']) });
    expect((await tab.call('entryResources', { viewId, entryIds: [documentEntry.id] })).status).toBe(400);
    expect((await tab.call('recordView', { viewId, entryId: documentEntry.id })).status).toBe(400);
    await tab.call('signOut');
  }, 180_000);
});
