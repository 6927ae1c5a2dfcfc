import type { Resource } from '@medplum/fhirtypes';
import type { Conflict, StatedBy, TimelineEntry } from '../../../../shared/domain/timeline.ts';
import type { ReconciledGroup } from './reconcile-keys.ts';
import { STATED_FIELDS, type Fields } from './stated-fields.ts';

export interface ReconciledStatements {
  /** The merged entry's resource with the fields it left empty filled; undefined when nothing was taken. */
  resource?: Resource;
  statedBy?: StatedBy[];
  conflicts?: Conflict[];
}

/** The system a field of `entry` came from: the one that stated it, else the entry's first. */
function sourceOf(entry: TimelineEntry, field: string): { sourceId: string; sourceName: string } {
  const stated = entry.statedBy?.find((s) => s.field === field);
  if (stated) return stated;
  const p = entry.provenance[0]!;
  return { sourceId: p.sourceId, sourceName: p.sourceName };
}

function valueOf(source: { sourceId: string; sourceName: string }, value: string): Conflict['values'][number] {
  return { sourceId: source.sourceId, sourceName: source.sourceName, value };
}

/**
 * Folds what `other` (another system's record of the same problem, allergy or drug) states into
 * the merged entry `primary`, field by field (stated-fields.ts): a field `primary` leaves empty
 * is taken from `other`, and noted in `statedBy` so the clinician sees who said it; two stated
 * values that disagree are a conflict keeping both ('' for a record that says nothing), and once
 * a field is in conflict every later system's value joins it. Nothing stated is dropped.
 */
export function reconcileStatements(
  group: ReconciledGroup,
  primary: TimelineEntry,
  other: TimelineEntry,
  conflicts: Conflict[] | undefined,
): ReconciledStatements {
  const theirs = other.resource as unknown as Fields;
  const p = other.provenance[0]!;
  const from = { sourceId: p.sourceId, sourceName: p.sourceName };
  let copy: Fields | undefined;
  let statedBy = primary.statedBy;
  let out = conflicts;
  for (const f of STATED_FIELDS[group]) {
    const mine = (copy ?? (primary.resource as unknown as Fields)) as Fields;
    const a = f.read(mine);
    const b = f.read(theirs);
    const existing = out?.find((c) => c.field === f.field);
    const disagree =
      a !== undefined && b !== undefined
        ? (f.disagree ?? ((x, y) => x !== y))(a, b)
        : (a !== undefined && f.flagsUnstated?.(a) === true) || (b !== undefined && f.flagsUnstated?.(b) === true);
    if (existing && b !== undefined) {
      out = out!.map((c) => (c === existing ? { field: c.field, values: [...c.values, valueOf(from, b)] } : c));
    } else if (!existing && disagree) {
      out = [...(out ?? []), { field: f.field, values: [valueOf(sourceOf(primary, f.field), a ?? ''), valueOf(from, b ?? '')] }];
    }
    if (b !== undefined && (a === undefined || f.replaces?.(a, b) === true)) {
      copy ??= { ...(primary.resource as unknown as Fields) };
      f.copy(copy, theirs);
      statedBy = [...(statedBy ?? []).filter((s) => s.field !== f.field), { field: f.field, ...from }];
    }
  }
  return {
    ...(copy ? { resource: copy as unknown as Resource } : {}),
    ...(statedBy ? { statedBy } : {}),
    ...(out ? { conflicts: out } : {}),
  };
}
