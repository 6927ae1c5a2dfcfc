import type { Conflict, TimelineEntry } from '../../../shared/domain/timeline.ts';

/**
 * The value two systems must agree on for an entry to be "the same" without a conflict: a
 * result's value. Other records (a diagnosis, an allergy) are summarised differently by each
 * system's wording, which is not a clinical disagreement.
 */
function comparableValue(entry: TimelineEntry): string | undefined {
  if (entry.lab?.value !== undefined) {
    // Within rounding of the converted unit: 7.0 mmol/L from the LIS equals 126 mg/dL from the CDR.
    return `${Number(entry.lab.value.toPrecision(3))} ${entry.lab.unit ?? ''}`.trim();
  }
  return entry.kind === 'observation' ? entry.summary : undefined;
}

function displayValue(entry: TimelineEntry): string {
  if (entry.lab?.value !== undefined) return `${entry.lab.value} ${entry.lab.unit ?? ''}`.trim();
  return entry.summary ?? '';
}

/**
 * Folds `other` (another system's record of the same fact) into `primary`: provenance is
 * merged; a disagreeing value becomes a conflict listing every system's value, never dropped.
 */
export function mergeInto(primary: TimelineEntry, other: TimelineEntry): TimelineEntry {
  const provenance = [...primary.provenance, ...other.provenance];
  const a = comparableValue(primary);
  const b = comparableValue(other);
  let conflicts = primary.conflicts;
  if (a !== undefined && b !== undefined && a !== b) {
    const existing = conflicts?.find((c) => c.field === 'value');
    const entryOf = (e: TimelineEntry) => ({
      sourceId: e.provenance[0]!.sourceId,
      sourceName: e.provenance[0]!.sourceName,
      value: displayValue(e),
    });
    const values = existing ? [...existing.values, entryOf(other)] : [entryOf(primary), entryOf(other)];
    const conflict: Conflict = { field: 'value', values };
    conflicts = [...(conflicts ?? []).filter((c) => c.field !== 'value'), conflict];
  }
  return {
    ...primary,
    provenance,
    abnormal: primary.abnormal || other.abnormal || undefined,
    ...(conflicts ? { conflicts } : {}),
  };
}
