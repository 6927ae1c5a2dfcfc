import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { flagFromRange } from '../../lib/lab-value.ts';

export type AbnormalFlag = 'H' | 'L' | 'A';

const HIGH = new Set(['H', 'HH', 'HU', '>']);
const LOW = new Set(['L', 'LL', 'LU', '<']);

function interpretationFlag(entry: TimelineEntry): 'H' | 'L' | undefined {
  const interpretation = (entry.resource as { interpretation?: unknown }).interpretation;
  if (!Array.isArray(interpretation)) return undefined;
  for (const concept of interpretation as { coding?: { code?: unknown }[] }[]) {
    for (const coding of concept.coding ?? []) {
      const code = typeof coding.code === 'string' ? coding.code.toUpperCase() : '';
      if (HIGH.has(code)) return 'H';
      if (LOW.has(code)) return 'L';
    }
  }
  return undefined;
}

/**
 * The textual flag shown next to an abnormal result: the laboratory's own H/L when it sent
 * one, else H/L from the normalised value against its range, else A for anything the source
 * marked abnormal.
 */
export function abnormalFlag(entry: TimelineEntry): AbnormalFlag | undefined {
  return interpretationFlag(entry) ?? flagFromRange(entry.lab) ?? (entry.abnormal ? 'A' : undefined);
}
