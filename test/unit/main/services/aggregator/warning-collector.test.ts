import { describe, expect, it } from 'vitest';
import { callSource } from '../../../../../src/main/services/aggregator/call-source.ts';
import { collectWarnings } from '../../../../../src/main/services/aggregator/index.ts';
import { SourceError } from '../../../../../src/adapters/source-error.ts';

const source = { id: 'emr-platform', name: 'platform', kind: 'hl7v3' as const };
const policy = { timeoutMs: 10_000, retries: 2, slowMs: 2_000 };

describe('collectWarnings', () => {
  it('sums what one read is told, and a retried read counts only its last attempt', async () => {
    let attempt = 0;
    const collector = collectWarnings(async (_signal, onWarnings) => {
      attempt++;
      onWarnings([{ code: 'platform-warning', count: 1, detailCode: 'W1' }]);
      onWarnings([
        { code: 'platform-warning', count: 1, detailCode: 'W1' },
        { code: 'record-skipped', count: 1 },
      ]);
      if (attempt === 1) throw new SourceError('server-error', source.id, 'flaky');
      return attempt;
    });
    const outcome = await callSource(source, policy, new AbortController().signal, collector.read, {
      backoff: { baseMs: 1, maxMs: 1, random: () => 0.5 },
    });
    expect(outcome).toMatchObject({ ok: true, value: 2, attempts: 2 });
    expect(collector.warnings()).toEqual([
      { code: 'platform-warning', count: 2, detailCode: 'W1' },
      { code: 'record-skipped', count: 1 },
    ]);
  });
});
