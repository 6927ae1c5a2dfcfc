import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '@medplum/fhirtypes';
import { startFhirServer, type DemoFhirServer } from '../../src/demo-hospital/fhir-server/fhir-server.ts';
import { auditEventId } from '../../src/main/services/audit/to-fhir-audit-event.ts';
import {
  createAuditForwarder,
  openAuditLog,
  type AuditForwarder,
  type AuditKeys,
  type AuditLog,
} from '../../src/main/services/audit/index.ts';
import { type AuditEventInput } from '../../src/main/services/audit/audit-event.ts';

const WORKSTATION = 'ward-3-pc-1';
const DOCTOR = { id: 'local:wangfang', displayName: '王芳', roles: ['ward-doctor' as const] };

function event(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    action: 'document-view',
    outcome: 'success',
    user: DOCTOR,
    patient: { refs: [{ sourceId: 'cdr', sourcePatientId: 'pat-0001' }] },
    entity: { type: 'DocumentReference', id: `doc-${n}` },
    workstation: WORKSTATION,
    at: new Date(Date.UTC(2025, 2, 1, 9, 0, n)).toISOString(),
    ...overrides,
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cdr(port = 0): Promise<DemoFhirServer> {
  const server = await startFhirServer({ resources: [], port });
  cleanups.push(() => server.stop());
  return server;
}

function setup(): { dir: string; keys: AuditKeys } {
  const root = mkdtempSync(join(tmpdir(), 'huizhen-audit-fwd-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return { dir: join(root, 'audit'), keys: { seal: randomBytes(32), mac: randomBytes(32) } };
}

async function open(dir: string, keys: AuditKeys): Promise<AuditLog> {
  const log = await openAuditLog(dir, keys);
  cleanups.push(() => log.close());
  return log;
}

function forwarder(log: AuditLog, baseUrl: string): AuditForwarder {
  const f = createAuditForwarder({
    log,
    repository: { baseUrl, retryIntervalSeconds: 0.05, timeoutMs: 2000 },
    workstationId: WORKSTATION,
    site: '某某市第一人民医院',
  });
  cleanups.push(() => f.stop());
  return f;
}

const putIds = (server: DemoFhirServer) =>
  server.requests.filter((r) => r.method === 'PUT').map((r) => r.url.replace(/^\/fhir\/AuditEvent\//, ''));

async function storedAuditEvents(server: DemoFhirServer): Promise<AuditEvent[]> {
  return (await server.repository.searchResources({ resourceType: 'AuditEvent' })) as AuditEvent[];
}

describe('audit forwarding to the demo CDR', () => {
  it('spools while the repository is down and delivers each event once, in order, when it is back', async () => {
    const { dir, keys } = setup();
    const first = await cdr();
    const { port } = new URL(first.baseUrl);
    const baseUrl = first.baseUrl;
    await first.stop();

    const log = await open(dir, keys);
    const fwd = forwarder(log, baseUrl);
    fwd.start();
    for (let n = 1; n <= 3; n++) await log.append(event(n));
    await log.append(event(4, { action: 'break-glass', reason: '急诊抢救，患者昏迷', entity: undefined }));

    const offline = await fwd.flush();
    expect(offline).toMatchObject({ delivered: 0, pending: 4, error: { code: 'unreachable' } });
    expect(fwd.status()).toMatchObject({ deliveredSeq: 0, pending: 4, consecutiveFailures: expect.any(Number) });

    const back = await cdr(Number(port));
    // The unref'd retry timer delivers without anyone calling flush.
    await vi.waitFor(() => expect(fwd.status().pending).toBe(0), { timeout: 15_000, interval: 50 });

    const expectedIds = [1, 2, 3, 4].map((seq) => auditEventId(WORKSTATION, log.logId, seq));
    expect(putIds(back)).toEqual(expectedIds);
    const stored = await storedAuditEvents(back);
    expect(stored.map((e) => e.id).sort()).toEqual([...expectedIds].sort());

    const answer = await fetch(`${back.baseUrl}/AuditEvent/${expectedIds[3]}`);
    expect(answer.status).toBe(200);
    const btg = (await answer.json()) as AuditEvent;
    expect(btg).toMatchObject({
      resourceType: 'AuditEvent',
      type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110113' },
      purposeOfEvent: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'BTG' }], text: '急诊抢救，患者昏迷' },
      ],
      outcome: '0',
      source: { observer: { display: WORKSTATION }, site: '某某市第一人民医院' },
    });
    expect(btg.agent[0]).toMatchObject({ requestor: true, who: { display: '王芳', identifier: { value: 'local:wangfang' } } });
    expect(btg.entity?.[0]).toMatchObject({ role: { code: '1' }, what: { identifier: { value: 'pat-0001' } } });
  });

  it('a restarted forwarder resumes from its cursor: only new events are sent, none twice', async () => {
    const { dir, keys } = setup();
    const server = await cdr();
    const log1 = await openAuditLog(dir, keys);
    const fwd1 = createAuditForwarder({ log: log1, repository: { baseUrl: server.baseUrl }, workstationId: WORKSTATION });
    for (let n = 1; n <= 3; n++) await log1.append(event(n));
    expect(await fwd1.flush()).toEqual({ delivered: 3, pending: 0 });
    await fwd1.stop();
    await log1.close();

    const log2 = await open(dir, keys);
    for (let n = 4; n <= 5; n++) await log2.append(event(n));
    const fwd2 = forwarder(log2, server.baseUrl);
    expect(fwd2.status()).toMatchObject({ pending: 5 }); // cursor not read until the first round
    expect(await fwd2.flush()).toEqual({ delivered: 2, pending: 0 });
    expect(await fwd2.flush()).toEqual({ delivered: 0, pending: 0 });

    const ids = [1, 2, 3, 4, 5].map((seq) => auditEventId(WORKSTATION, log2.logId, seq));
    expect(putIds(server)).toEqual(ids);
    expect(await storedAuditEvents(server)).toHaveLength(5);
  });

  it('a lost cursor re-sends everything, and the repository still holds each event once (PUT by id)', async () => {
    const { dir, keys } = setup();
    const server = await cdr();
    const log = await open(dir, keys);
    for (let n = 1; n <= 3; n++) await log.append(event(n));
    const fwd1 = createAuditForwarder({ log, repository: { baseUrl: server.baseUrl }, workstationId: WORKSTATION });
    await fwd1.flush();
    await fwd1.stop();
    rmSync(join(dir, 'forwarded.json'));

    const fwd2 = forwarder(log, server.baseUrl);
    expect(await fwd2.flush()).toEqual({ delivered: 3, pending: 0 });
    expect(putIds(server)).toHaveLength(6);
    expect(await storedAuditEvents(server)).toHaveLength(3);
  });

  it('events appended while the forwarder runs are delivered without a flush', async () => {
    const { dir, keys } = setup();
    const server = await cdr();
    const log = await open(dir, keys);
    const fwd = forwarder(log, server.baseUrl);
    fwd.start();
    for (let n = 1; n <= 4; n++) await log.append(event(n));
    await vi.waitFor(() => expect(fwd.status()).toMatchObject({ deliveredSeq: 4, pending: 0 }), { timeout: 10_000, interval: 20 });
    expect(putIds(server)).toEqual([1, 2, 3, 4].map((seq) => auditEventId(WORKSTATION, log.logId, seq)));
  });
});
