import type { FailureReason, QueryResult } from '../commands/quality-tally.ts';
import type { QualityRun } from '../commands/quality.ts';

function reasonText(r: FailureReason): string {
  const what = [
    r.code ?? r.state,
    r.status !== undefined ? `HTTP ${r.status}` : '',
    r.timeoutMs !== undefined ? `after ${r.timeoutMs} ms` : '',
    r.state === 'cached' ? 'only the cache answered' : '',
    r.state === 'circuit-open' && r.code !== 'circuit-open' ? 'circuit breaker open' : '',
  ].filter((s) => s !== '');
  return `${what.join(', ')}${r.message ? `: ${r.message}` : ''} (${r.count}×)`;
}

function skippedText(q: QueryResult): string {
  if (q.outcome === 'several') return `  skipped "${q.query}": ${q.matches} patients match (make the query more specific)`;
  if (q.outcome === 'access-denied') return `  skipped "${q.query}": this user may not open the patient's record (access denied)`;
  if (q.outcome === 'search-failed')
    return `  skipped "${q.query}": no patient found, but a source failed during the search (not a clean "no match")`;
  return `  skipped "${q.query}": no patient matches`;
}

/**
 * The report as text. A run in which a source failed says so first, naming each source and why,
 * so that an empty or short list of findings is never read as a clean bill.
 */
export function qualityReportText(run: QualityRun): string[] {
  const lines: string[] = [];
  if (!run.complete) {
    lines.push(
      `INCOMPLETE: ${run.failedSources.length} source${run.failedSources.length === 1 ? '' : 's'} failed; the counts below cover only what answered.`,
    );
    for (const s of run.failedSources) {
      lines.push(`Source ${s.sourceId} (${s.name}) FAILED:`);
      for (const r of s.reasons) lines.push(`  ${reasonText(r)}`);
    }
  }
  for (const s of run.notChecked) lines.push(`Source ${s.sourceId} (${s.name}) NOT CHECKED: no search or open asked it`);
  lines.push(`Patients checked: ${run.patientsChecked} (from ${run.queries.length} quer${run.queries.length === 1 ? 'y' : 'ies'})`);
  const byPerson = new Map<number, string[]>();
  for (const q of run.queries) if (q.person !== undefined) byPerson.set(q.person, [...(byPerson.get(q.person) ?? []), q.query]);
  for (const [person, queries] of byPerson)
    if (queries.length > 1) lines.push(`  person ${person}: reached by ${queries.map((q) => `"${q}"`).join(', ')} (checked once)`);
  for (const q of run.queries) if (q.outcome !== 'checked') lines.push(skippedText(q));
  if (run.sources.length === 0) lines.push(run.complete ? 'No findings.' : 'No findings in what answered.');
  for (const s of run.sources) {
    lines.push(`Source ${s.sourceId} (${s.name}): ${s.findings} findings`);
    for (const [code, count] of Object.entries(s.byCode)) lines.push(`  ${code.padEnd(22)} ${count}`);
    if (s.topUnmappedCodes.length > 0) {
      lines.push('  top unmapped codes:');
      for (const u of s.topUnmappedCodes) lines.push(`    ${u.system || '(no system)'} | ${u.code} × ${u.count}`);
    }
  }
  return lines;
}
