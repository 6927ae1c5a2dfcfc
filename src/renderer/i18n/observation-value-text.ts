import type { ObservationComponent, ObservationValue, QuantityPart, SimpleValue } from '../../shared/domain/observation-value.ts';
import type { I18n } from './i18n-context.tsx';
import { unitText } from '../lib/lab-value.ts';

type Text = Pick<I18n, 't' | 'fmt'>;

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

function numberText({ fmt }: Text, value: number): string {
  return fmt.number(value, { maximumFractionDigits: 6, useGrouping: false });
}

function quantityText(text: Text, q: QuantityPart | undefined, withUnit = true): string {
  if (!q) return '';
  const unit = withUnit ? unitText(q.unit) : '';
  return `${q.comparator ?? ''}${q.value !== undefined ? numberText(text, q.value) : ''}${unit ? ` ${unit}` : ''}`.trim();
}

/** A component's name: the well-known ones in the reader's language, the rest as the source wrote them. */
function componentLabel({ t }: Text, c: ObservationComponent): string {
  if (c.loinc === SYSTOLIC) return t('value.systolic');
  if (c.loinc === DIASTOLIC) return t('value.diastolic');
  return c.label;
}

function simpleText(text: Text, v: SimpleValue): string {
  const { t, fmt } = text;
  switch (v.type) {
    case 'quantity':
      return quantityText(text, v.quantity);
    case 'string':
      return v.value;
    case 'concept':
      return v.text;
    case 'boolean':
      return t(v.value ? 'value.true' : 'value.false');
    case 'integer':
      return numberText(text, v.value);
    case 'time':
      // hh:mm:ss with zero seconds reads as hh:mm.
      return v.value.endsWith(':00') && v.value.length === 8 ? v.value.slice(0, 5) : v.value;
    case 'dateTime':
      return fmt.clinical(v.value);
    case 'period':
      if (v.start && v.end) return t('value.period', { start: fmt.clinical(v.start), end: fmt.clinical(v.end) });
      if (v.start) return t('value.periodFrom', { start: fmt.clinical(v.start) });
      return v.end ? t('value.periodUntil', { end: fmt.clinical(v.end) }) : '';
    case 'ratio': {
      // A titre (no units) is written 1:128; a ratio of quantities keeps its units.
      const unitless = !v.numerator?.unit && !v.denominator?.unit;
      return `${quantityText(text, v.numerator)}${unitless ? ':' : '/'}${quantityText(text, v.denominator)}`;
    }
    case 'range': {
      const unit = unitText(v.high?.unit ?? v.low?.unit);
      return `${quantityText(text, v.low, false)}–${quantityText(text, v.high, false)}${unit ? ` ${unit}` : ''}`;
    }
    case 'sampled': {
      const unit = unitText(v.unit);
      const extent =
        v.min !== undefined && v.max !== undefined
          ? t('value.sampledRange', { min: numberText(text, v.min), max: numberText(text, v.max), unit })
          : '';
      return `${t('value.sampled', { samples: fmt.number(v.samples), period: numberText(text, v.periodMs) })}${extent}`.trim();
    }
  }
}

/**
 * An Observation value in the reader's language: "收缩压/舒张压 141/82 mmHg", "是", "1:128",
 * "2024-05-01 22:00 至 2024-05-02 06:00", "波形 500 个采样点，间隔 10 ms".
 */
export function observationValueText(text: Text, value: ObservationValue): string {
  if (value.type !== 'components') return simpleText(text, value);
  const systolic = value.components.find((c) => c.loinc === SYSTOLIC);
  const diastolic = value.components.find((c) => c.loinc === DIASTOLIC);
  if (value.components.length === 2 && systolic?.value?.type === 'quantity' && diastolic?.value?.type === 'quantity') {
    return text
      .t('value.bloodPressure', {
        systolic: quantityText(text, systolic.value.quantity, false),
        diastolic: quantityText(text, diastolic.value.quantity, false),
        unit: unitText(systolic.value.quantity.unit ?? diastolic.value.quantity.unit),
      })
      .trim();
  }
  const parts = value.components.map((c) => `${componentLabel(text, c)} ${c.value ? simpleText(text, c.value) : ''}`.trim());
  return [...(value.main ? [simpleText(text, value.main)] : []), ...parts].join(' · ');
}
