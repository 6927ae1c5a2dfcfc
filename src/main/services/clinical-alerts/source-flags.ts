import type { CodeableConcept } from '@medplum/fhirtypes';

/** Which way a result is critical: above, below, or critical without a direction (AA, "critical"). */
export type CriticalDirection = 'high' | 'low' | 'abnormal';

/**
 * Interpretation codes that mean "critical": HL7 table 0078 / v3-ObservationInterpretation HH
 * (critical high), LL (critical low) and AA (critical abnormal) — what an OBX-8 flag becomes
 * (src/adapters/hl7v2/to-fhir/interpretation.ts) and what FHIR sources put in
 * Observation.interpretation.
 */
const CRITICAL_CODES: Readonly<Record<string, CriticalDirection>> = { HH: 'high', LL: 'low', AA: 'abnormal' };

/** Flags a LIS prints as words instead of a code: "critical", "panic", 危急(值). */
const CRITICAL_WORDS = /\b(critical|panic)\b|危急/i;

/** The critical flag the source set on a result, if any; a code wins over words. */
export function sourceCriticalFlag(
  interpretation: readonly CodeableConcept[] | undefined,
): { flag: string; direction: CriticalDirection } | undefined {
  if (!interpretation) return undefined;
  let worded: { flag: string; direction: CriticalDirection } | undefined;
  for (const concept of interpretation) {
    for (const coding of concept.coding ?? []) {
      const code = coding.code?.toUpperCase();
      if (code && Object.hasOwn(CRITICAL_CODES, code)) return { flag: code, direction: CRITICAL_CODES[code]! };
      if (!worded && coding.display && CRITICAL_WORDS.test(coding.display))
        worded = { flag: coding.display, direction: wordDirection(coding.display) };
    }
    if (!worded && concept.text && CRITICAL_WORDS.test(concept.text))
      worded = { flag: concept.text, direction: wordDirection(concept.text) };
  }
  return worded;
}

function wordDirection(text: string): CriticalDirection {
  if (/high|高|↑/i.test(text)) return 'high';
  if (/low|低|↓/i.test(text)) return 'low';
  return 'abnormal';
}
