import type { PatientCandidate } from '../../shared/domain/patient.ts';
import type { SourceStatus } from '../../shared/domain/source.ts';
import type { TimelineEntry } from '../../shared/domain/timeline.ts';

export function formatCandidate(c: PatientCandidate): string {
  const ids = [...new Set(c.identifiers.map((i) => `${i.label ?? i.system ?? 'id'} ${i.value}`))].join(', ');
  const sex = c.gender ?? '?';
  return `${c.displayName}${c.otherNames.length ? ` (${c.otherNames.join(', ')})` : ''}  ${sex}  ${c.birthDate ?? '?'}  [${ids}]`;
}

export function formatSourceLine(s: SourceStatus): string {
  const latency = s.latencyMs === undefined ? '' : ` ${s.latencyMs} ms`;
  const count = s.entryCount === undefined ? '' : `, ${s.entryCount} records`;
  const error = s.error ? ` — ${s.error.code}: ${s.error.message}` : '';
  return `  ${s.name} (${s.sourceId}): ${s.state}${latency}${count}${error}`;
}

/** Instants in the workstation's own time zone; date-only values stay as written. */
export function formatClinicalTime(iso: string | undefined): string {
  if (!iso) return '(undated)';
  if (!iso.includes('T')) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  // sv-SE formats as "YYYY-MM-DD HH:mm", sortable and unambiguous.
  return new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

function valueText(e: TimelineEntry): string | undefined {
  if (e.lab?.value === undefined) return e.summary;
  const original =
    e.lab.original?.value !== undefined && e.lab.original.unit !== e.lab.unit
      ? ` (${e.lab.original.value} ${e.lab.original.unit ?? ''})`.replace(' )', ')')
      : '';
  return `${e.lab.value} ${e.lab.unit ?? ''}`.trim() + original;
}

export function formatEntryLine(e: TimelineEntry): string {
  const when = formatClinicalTime(e.clinicalTime).padEnd(16);
  const flag = e.abnormal ? ' !' : '';
  const value = valueText(e);
  const summary = value ? `  ${value}` : '';
  const conflict = e.conflicts?.length
    ? `  ≠ ${e.conflicts.map((c) => c.values.map((v) => `${v.sourceName}: ${v.value}`).join(' / ')).join('; ')}`
    : '';
  const sources = e.provenance.map((p) => `${p.sourceName}${p.messageType ? ` · ${p.messageType}` : ''}`).join('; ');
  return `${when}  ${e.kind.padEnd(12)} ${e.title}${summary}${flag}${conflict}  [${sources}]`;
}
