import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@medplum/fhirtypes';
import { SourceError } from '../../../../../src/adapters/source-error.ts';
import { createAuditForwarder, openAuditLog } from '../../../../../src/main/services/audit/index.ts';
import { openEvent, randomKeys, tempAuditDir } from './audit-fixtures.ts';

describe('audit forwarder spool (delivery replaced by a recorder)', () => {
  it('keeps progress made before a failure, and resumes at the failed event', async () => {
    const dir = tempAuditDir();
    const log = await openAuditLog(dir, randomKeys());
    for (let n = 1; n <= 3; n++) await log.append(openEvent(n));
    const sent: string[] = [];
    let failNext = true;
    const put = async (resource: AuditEvent) => {
      if (resource.recorded === openEvent(2).at && failNext) {
        failNext = false;
        throw new SourceError('server-error', 'audit-repository', 'audit repository: PUT answered HTTP 503');
      }
      sent.push(resource.recorded);
    };
    const fwd = createAuditForwarder({ log, repository: { baseUrl: 'http://127.0.0.1:9/fhir' }, workstationId: 'pc', put });
    expect(await fwd.flush()).toMatchObject({ delivered: 1, pending: 2, error: { code: 'server-error' } });
    expect(JSON.parse(readFileSync(join(dir, 'forwarded.json'), 'utf8'))).toMatchObject({ seq: 1, logId: log.logId });
    expect(await fwd.flush()).toEqual({ delivered: 2, pending: 0 });
    expect(sent).toEqual([1, 2, 3].map((n) => openEvent(n).at));
    const before = Date.now();
    expect(fwd.status()).toEqual({ deliveredSeq: 3, pending: 0, consecutiveFailures: 0, lastDeliveryAt: expect.any(String) });
    // The console shows when the repository last accepted an event.
    expect(Date.parse(fwd.status().lastDeliveryAt!)).toBeLessThanOrEqual(before);
    await fwd.stop();
    await log.close();
  });

  it('a cursor from another log (the folder was started afresh) counts as none', async () => {
    const dir = tempAuditDir();
    const log = await openAuditLog(dir, randomKeys());
    await log.append(openEvent(1));
    await log.append(openEvent(2));
    writeFileSync(join(dir, 'forwarded.json'), JSON.stringify({ format: 'huizhen-audit/v1', logId: 'f'.repeat(32), seq: 5, offset: 9999 }));
    const sent: string[] = [];
    const fwd = createAuditForwarder({
      log,
      repository: { baseUrl: 'http://127.0.0.1:9/fhir' },
      workstationId: 'pc',
      put: async (r) => void sent.push(r.recorded),
    });
    expect(await fwd.flush()).toEqual({ delivered: 2, pending: 0 });
    expect(sent).toEqual([openEvent(1).at, openEvent(2).at]);
    expect(JSON.parse(readFileSync(join(dir, 'forwarded.json'), 'utf8'))).toMatchObject({ logId: log.logId, seq: 2 });
    await fwd.stop();
    await log.close();
  });
});
