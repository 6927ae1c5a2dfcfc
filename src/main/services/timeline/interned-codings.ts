import type { Coding } from '@medplum/fhirtypes';
import type { TimelineCoding } from '../../../shared/domain/timeline.ts';

/**
 * One shared, frozen codes array per distinct one-coding concept. A chart repeats a few hundred
 * codes across tens of thousands of records; a fresh array and coding object per record were a
 * quarter of what a 100,000-entry timeline kept alive, and every kept object costs the garbage
 * collector a copy. Keyed by the coding's own strings in nested maps, so finding one builds no
 * string. Multi-coding concepts (rarer) get their own array. The shared arrays are frozen, so code
 * that tried to edit an entry's codes in place would throw rather than change other entries.
 */
const single = new Map<string | undefined, Map<string | undefined, Map<string | undefined, TimelineCoding[]>>>();
/** A chart has a bounded vocabulary; a runaway source must not grow this without limit. */
const MAX_INTERNED = 50_000;
let interned = 0;
const NONE = Object.freeze([]) as unknown as TimelineCoding[];

function copy(c: Coding): TimelineCoding {
  return { system: c.system, code: c.code, display: c.display };
}

export function timelineCodings(codings: readonly Coding[] | undefined): TimelineCoding[] {
  if (!codings || codings.length === 0) return NONE;
  if (codings.length > 1) return codings.map(copy);
  const c = codings[0]!;
  let byCode = single.get(c.system);
  if (!byCode) single.set(c.system, (byCode = new Map()));
  let byDisplay = byCode.get(c.code);
  if (!byDisplay) byCode.set(c.code, (byDisplay = new Map()));
  let codes = byDisplay.get(c.display);
  if (!codes) {
    if (interned >= MAX_INTERNED) {
      single.clear();
      interned = 0;
    }
    codes = Object.freeze([Object.freeze(copy(c))]) as unknown as TimelineCoding[];
    byDisplay.set(c.display, codes);
    interned++;
  }
  return codes;
}
