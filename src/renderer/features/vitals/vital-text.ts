/** Words a vital reading for the screen: its number at the vital's precision, its unit, its flag. */
import type { I18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/catalogs.ts';
import type { VitalKind } from './vital-units.ts';
import type { BloodPressure, VitalReading } from './vitals-model.ts';

type Words = Pick<I18n, 't' | 'fmt'>;

/** Temperature and weight keep one decimal (38.0 ℃ is charted as 38.0, not 38); the rest are whole. */
const FRACTION_DIGITS: Partial<Record<VitalKind, number>> = { temperature: 1, weight: 1 };

export function vitalNumber({ fmt }: Words, r: Pick<VitalReading, 'kind' | 'value'>): string {
  const digits = FRACTION_DIGITS[r.kind] ?? 0;
  return fmt.number(r.value, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
}

export function unitWord({ t }: Words, r: Pick<VitalReading, 'unit'>): string {
  return t(`vitals.unit.${r.unit}` as MessageKey);
}

export function vitalWithUnit(words: Words, r: Pick<VitalReading, 'kind' | 'value' | 'unit'>): string {
  const unit = unitWord(words, r);
  // ℃ and % sit on the number as printed on Chinese charts; words get a space.
  return r.unit === 'celsius' || r.unit === 'percent' ? `${vitalNumber(words, r)}${unit}` : `${vitalNumber(words, r)} ${unit}`;
}

export function kindWord({ t }: Words, kind: VitalKind | 'bloodPressure'): string {
  return t(`vitals.kind.${kind}` as MessageKey);
}

/** "152/94", with "–" for a missing half (a systolic alone is still worth charting). */
export function pressureNumber(words: Words, bp: BloodPressure): string {
  return `${bp.systolic ? vitalNumber(words, bp.systolic) : '–'}/${bp.diastolic ? vitalNumber(words, bp.diastolic) : '–'}`;
}

export function flagArrow(flag: VitalReading['flag']): string {
  return flag === 'H' ? '↑' : flag === 'L' ? '↓' : flag === 'A' ? '*' : '';
}

/** Sources of a reading, e.g. "CDR · EMR · LIS". */
export function sourceNames(r: Pick<VitalReading, 'provenance'>): string {
  return r.provenance.map((p) => p.sourceName).join(' · ');
}
