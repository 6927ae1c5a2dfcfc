import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openAuditLog, readAuditEvents, verifyAuditLog, type AuditKeys } from '../../src/main/services/audit/index.ts';
import { buildCheckedTimeline } from '../../src/main/services/data-quality/index.ts';
import { createRefMasks } from '../../src/main/services/privacy/index.ts';
import { createQualityStats } from '../../src/main/services/quality-stats/index.ts';
import type { QualityFinding } from '../../src/shared/domain/quality.ts';
import type { Figure, BenchSuite } from '../measure.ts';
import { mixedRecord } from './timeline-build.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function cpuMs(fn: () => unknown): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const refs = [
  { sourceId: 'cdr', sourcePatientId: 'bench-1' },
  { sourceId: 'lis', sourcePatientId: 'bench-1' },
];

/** What the console's aggregation adds to a complete build: the findings grouped and recorded, timed apart from the build. */
function qualityFigures(): Figure[] {
  // Every result without a subject: one finding or more on each of 100,000 entries, the worst case.
  const items = mixedRecord(100_000);
  const stats = createQualityStats({ sampleRef: createRefMasks(randomBytes(32)).qualitySample });
  const built: number[] = [];
  const recorded: number[] = [];
  let findings = 0;
  for (let i = 0; i < 7; i++) {
    collectGarbage();
    let assessment: ReturnType<typeof buildCheckedTimeline> | undefined;
    built.push(cpuMs(() => (assessment = buildCheckedTimeline(items))));
    const { entries, recordFindings } = assessment!;
    recorded.push(
      cpuMs(() => {
        // As patient-records hands them over: each distinct findings array with its count.
        const groups = new Map<readonly QualityFinding[], number>([[recordFindings, 1]]);
        for (const entry of entries) if (entry.quality) groups.set(entry.quality, (groups.get(entry.quality) ?? 0) + 1);
        stats.record(refs, groups);
        findings = [...groups].reduce((n, [list, times]) => n + list.length * times, 0);
      }),
    );
  }
  stats.close();
  const base = median(built);
  const aggregation = median(recorded);
  return [
    {
      name: `console aggregation of one complete build, 100,000 records (${findings.toLocaleString('en')} findings), CPU time`,
      value: aggregation,
      unit: 'ms',
      baseline: { name: 'the checked build itself, same run', value: base },
    },
    { name: '  added to the build', value: (aggregation / base) * 100, unit: '%' },
  ];
}

/** The Audit panel's search (read, filter, newest page) against `huizhen audit verify` over the same sealed log. */
async function auditFigures(events: number): Promise<Figure[]> {
  const dir = join(mkdtempSync(join(tmpdir(), 'huizhen-bench-audit-')), 'audit');
  const keys: AuditKeys = { seal: randomBytes(32), mac: randomBytes(32) };
  try {
    const log = await openAuditLog(dir, keys);
    for (let n = 0; n < events; n++) {
      await log.append({
        action: n % 5 === 0 ? 'patient-search' : 'patient-open',
        outcome: 'success',
        user: { id: `local:user-${n % 20}`, displayName: 'bench', roles: ['ward-doctor'] },
        patient: { refs: [{ sourceId: 'his', sourcePatientId: `H${n % 500}` }] },
        workstation: 'bench',
        at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
      });
    }
    await log.close();
    const search: number[] = [];
    const verify: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      const listing = await readAuditEvents(dir, keys, { userId: 'local:user-3' });
      listing.events.slice().reverse().slice(0, 25);
      search.push(performance.now() - t);
      t = performance.now();
      await verifyAuditLog(dir, keys);
      verify.push(performance.now() - t);
    }
    return [
      {
        name: `audit search by user over ${events.toLocaleString('en')} sealed events (newest 25), wall time`,
        value: median(search),
        unit: 'ms',
        baseline: { name: '`audit verify` over the same log, same run', value: median(verify) },
      },
    ];
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

/** Issue 19: what the console's Quality and Audit panels cost. */
export const adminInsightFigures: BenchSuite = {
  name: 'admin console quality and audit',
  async run() {
    return [...qualityFigures(), ...(await auditFigures(5_000))];
  },
};
