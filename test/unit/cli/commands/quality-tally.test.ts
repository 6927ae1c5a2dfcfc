/** The rules that make `huizhen quality`'s counts true: people once, failures named, conflicts on every source. */
import { describe, expect, it } from 'vitest';
import { personFindings, QualityTally } from '../../../../src/cli/commands/quality-tally.ts';
import type { PatientCandidate } from '../../../../src/shared/domain/patient.ts';
import type { QualityFinding } from '../../../../src/shared/domain/quality.ts';
import type { SourceStatus } from '../../../../src/shared/domain/source.ts';

const candidate = (...refs: [string, string][]): PatientCandidate => ({
  key: refs.map((r) => r.join(':')).join('|'),
  displayName: 'x',
  otherNames: [],
  identifiers: [],
  refs: refs.map(([sourceId, sourcePatientId]) => ({ sourceId, sourcePatientId })),
  link: { outcome: 'single', reasons: [] },
});
const status = (sourceId: string, state: SourceStatus['state'], error?: SourceStatus['error']): SourceStatus => ({
  sourceId,
  name: sourceId.toUpperCase(),
  kind: 'fhir',
  state,
  ...(error && { error }),
});
const conflict = (sourceId: string, sources: string): QualityFinding => ({
  code: 'value-conflict',
  severity: 'warning',
  sourceId,
  resourceType: 'Observation',
  field: 'Observation.value',
  params: { field: 'value', sources },
});

describe('QualityTally', () => {
  it('queries reaching the same records are one person, also when a later search links two earlier ones', () => {
    const tally = new QualityTally();
    tally.searched('H1', [candidate(['his', 'H1'])], true);
    tally.searched('C1', [candidate(['cdr', 'C1'])], true);
    tally.searched('张伟', [candidate(['his', 'H1'], ['cdr', 'C1'])], true);
    tally.searched('P2', [candidate(['cdr', 'C2'])], true);
    tally.searched('nobody', [], true);
    tally.searched('zhang', [candidate(['his', 'H1']), candidate(['cdr', 'C2'])], true);
    tally.searched('down', [], false);
    const people = tally.people();
    expect(people.map((p) => [p.person, p.refs.map((r) => r.sourcePatientId).sort()])).toEqual([
      [1, ['C1', 'H1']],
      [2, ['C2']],
    ]);
    expect(tally.queries.map((q) => [q.query, q.outcome, q.person])).toEqual([
      ['H1', 'checked', 1],
      ['C1', 'checked', 1],
      ['张伟', 'checked', 1],
      ['P2', 'checked', 2],
      ['nobody', 'no-match', undefined],
      ['zhang', 'several', undefined],
      ['down', 'search-failed', undefined],
    ]);
  });

  it('names each failed source with each reason and how often; answering and idle sources are not failures', () => {
    const tally = new QualityTally();
    const refused = { code: 'unreachable' as const, message: 'connection refused' };
    expect(tally.sources([status('cdr', 'ok'), status('lis', 'failed', refused), status('pacs', 'idle')])).toBe(false);
    tally.sources([status('lis', 'failed', refused), status('his', 'failed', { code: 'timeout', message: 'no answer', timeoutMs: 5000 })]);
    tally.sources([status('his', 'circuit-open', { code: 'circuit-open', message: 'paused' })]);
    expect(tally.sources([status('cdr', 'slow')])).toBe(true);
    expect(tally.failedSources()).toEqual([
      {
        sourceId: 'his',
        name: 'HIS',
        reasons: [
          { state: 'failed', code: 'timeout', message: 'no answer', timeoutMs: 5000, count: 1 },
          { state: 'circuit-open', code: 'circuit-open', message: 'paused', count: 1 },
        ],
      },
      { sourceId: 'lis', name: 'LIS', reasons: [{ state: 'failed', code: 'unreachable', message: 'connection refused', count: 2 }] },
    ]);
    expect([...tally.asked].sort()).toEqual(['cdr', 'his', 'lis']);
  });
});

describe('personFindings', () => {
  it('a value conflict counts once against every source involved, whichever source the entry came from', () => {
    const a = personFindings([{ id: 'cdr:Observation/1', quality: [conflict('cdr', 'cdr,emr')] }], []);
    const b = personFindings([{ id: 'emr:Observation/9', quality: [conflict('emr', 'emr,cdr')] }], []);
    const shape = (fs: QualityFinding[]) => fs.map((f) => [f.sourceId, f.params!.sources]);
    expect(shape(a)).toEqual([
      ['cdr', 'cdr,emr'],
      ['emr', 'cdr,emr'],
    ]);
    expect(shape(b)).toEqual(shape(a));
  });

  it('a record’s finding listed twice on its entry counts once; the same kind on two records counts twice', () => {
    const unmapped: QualityFinding = {
      code: 'unmapped-code',
      severity: 'warning',
      sourceId: 'lis',
      resourceType: 'Observation',
      field: 'Observation.code.coding',
      params: { system: 'L', code: 'VS-ADM' },
    };
    const found = personFindings(
      [
        { id: 'lis:1', quality: [unmapped, { ...unmapped }] },
        { id: 'lis:2', quality: [unmapped] },
      ],
      [],
    );
    expect(found).toHaveLength(2);
  });
});
