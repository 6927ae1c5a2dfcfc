import type { PatientCandidate } from '../../shared/domain/patient.ts';
import type { SourceStatus } from '../../shared/domain/source.ts';
import type { TimelineEntry } from '../../shared/domain/timeline.ts';

export function formatCandidate(c: PatientCandidate): string {
  const ids = c.identifiers.map((i) => `${i.label ?? i.system ?? 'id'} ${i.value}`).join(', ');
  const sex = c.gender ?? '?';
  return `${c.displayName}${c.otherNames.length ? ` (${c.otherNames.join(', ')})` : ''}  ${sex}  ${c.birthDate ?? '?'}  [${ids}]`;
}

export function formatSourceLine(s: SourceStatus): string {
  const latency = s.latencyMs === undefined ? '' : ` ${s.latencyMs} ms`;
  const count = s.entryCount === undefined ? '' : `, ${s.entryCount} records`;
  const error = s.error ? ` — ${s.error.code}: ${s.error.message}` : '';
  return `  ${s.name} (${s.sourceId}): ${s.state}${latency}${count}${error}`;
}

export function formatEntryLine(e: TimelineEntry): string {
  const when = (e.clinicalTime ?? '(undated)').replace('T', ' ').slice(0, 16).padEnd(16);
  const flag = e.abnormal ? ' !' : '';
  const summary = e.summary ? `  ${e.summary}` : '';
  const sources = e.provenance.map((p) => `${p.sourceName}${p.messageType ? ` · ${p.messageType}` : ''}`).join('; ');
  return `${when}  ${e.kind.padEnd(12)} ${e.title}${summary}${flag}  [${sources}]`;
}
