import type { Patient } from '@medplum/fhirtypes';
import { comparePatients } from './compare-patients.ts';
import { DEFAULT_IDENTIFIER_POLICY, type IdentifierPolicy } from './identifier-kinds.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './match-weights.ts';
import { extractFeatures } from './patient-features.ts';

export interface MatcherVerdict {
  outcome: 'linked' | 'possible' | 'not-linked';
  score: number;
}

/**
 * What the matcher says about two records on their own, for the audit log: a user's confirm or
 * unlink is recorded together with the verdict it overrode.
 */
export function matcherVerdict(
  a: Patient,
  b: Patient,
  options: { thresholds?: Thresholds; policy?: IdentifierPolicy } = {},
): MatcherVerdict {
  const policy = options.policy ?? DEFAULT_IDENTIFIER_POLICY;
  const comparison = comparePatients(extractFeatures(a, policy), extractFeatures(b, policy), {
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    explain: false,
  });
  return { outcome: comparison.outcome, score: Math.round(comparison.score * 10) / 10 };
}
