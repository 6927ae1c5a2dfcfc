import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditKeys } from '../../../src/main/services/audit/index.ts';
import { type AuditEventInput } from '../../../src/main/services/audit/audit-event.ts';

export function randomKeys(): AuditKeys {
  return { seal: randomBytes(32), mac: randomBytes(32) };
}

export function tempAuditDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'huizhen-audit-')), 'audit');
}

export const DOCTOR = { id: 'local:wangfang', displayName: '王芳', roles: ['ward-doctor' as const] };

/** A patient-open event whose patient id is easy to search the raw file for. */
export function openEvent(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    action: 'patient-open',
    outcome: 'success',
    user: DOCTOR,
    patient: { refs: [{ sourceId: 'his', sourcePatientId: `H10000${String(n).padStart(2, '0')}` }] },
    workstation: 'ward-3-pc-1',
    at: new Date(Date.UTC(2025, 0, 1, 8, 0, n)).toISOString(),
    ...overrides,
  };
}

/** A fresh log of `count` events; returns its folder and keys. */
export async function logOf(count: number): Promise<{ dir: string; keys: AuditKeys }> {
  const dir = tempAuditDir();
  const keys = randomKeys();
  const log = await openAuditLog(dir, keys);
  for (let n = 1; n <= count; n++) await log.append(openEvent(n));
  await log.close();
  return { dir, keys };
}
