/**
 * Link reasons quote the values the matcher compared (names, birth dates, 身份证 and other
 * numbers, a user's note), so a masked view scrubs them like free text. Codes, levels and the
 * records' handles stay: the renderer needs them to word the reasons and to find their records.
 */
import type { LinkReason } from '../../../shared/domain/link-reasons.ts';
import type { TextScrubber } from './scrub-text.ts';

const NOT_PATIENT_DATA = new Set([
  'code',
  'outcome',
  'family',
  'given',
  'how',
  'kind',
  'verdict',
  'record',
  'field',
  'problem',
  'via',
  'decidedBy',
  'decidedAt',
  'system',
]);

const isRef = (value: object): boolean => 'sourceId' in value && 'sourcePatientId' in value;

function scrubValue(value: unknown, scrub: TextScrubber, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && NOT_PATIENT_DATA.has(key) ? value : scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, scrub));
  if (value === null || typeof value !== 'object') return value;
  if (isRef(value)) return { ...value };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, scrub, k)]));
}

export function scrubLinkReasons(reasons: readonly LinkReason[], scrub: TextScrubber): LinkReason[] {
  return reasons.map((r) => scrubValue(r, scrub) as LinkReason);
}
