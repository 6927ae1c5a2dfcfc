import type { CriticalValueView, RiskAlertView } from '../../../shared/api/contract.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { Locale } from '../../i18n/catalogs.ts';
import { unitText } from '../../lib/lab-value.ts';

/** A unit as printed on a report: eGFR's UCUM annotation "{1.73_m2}" reads "1.73 m²". */
export function unitWords(unit: string | undefined): string {
  return unitText(unit).replace('{1.73_m2}', '1.73 m²');
}

/** Built-in rules are worded here; a hospital's own rules bring their words from the configuration. */
const RULE_KEYS: Readonly<Record<string, MessageKey>> = {
  'potassium-high-with-raas-or-k-sparing': 'alerts.rule.potassium-high-with-raas-or-k-sparing',
  'egfr-low-with-metformin': 'alerts.rule.egfr-low-with-metformin',
  'inr-high-with-warfarin': 'alerts.rule.inr-high-with-warfarin',
};

export function ruleText(alert: RiskAlertView, locale: Locale, t: (key: MessageKey) => string): string {
  if (alert.label) return alert.label[locale];
  const key = RULE_KEYS[alert.ruleId];
  return key ? t(key) : alert.ruleId;
}

/** ↑↑ / ↓↓ / !! — the marks Chinese lab reports print beside a critical value. */
export function directionMark(direction: CriticalValueView['direction']): string {
  return direction === 'high' ? '↑↑' : direction === 'low' ? '↓↓' : '!!';
}

/** Unacknowledged first (main sends them so; kept if a reply updates one in place). */
export function ordered(values: readonly CriticalValueView[]): CriticalValueView[] {
  return [...values.filter((v) => !v.acknowledged), ...values.filter((v) => v.acknowledged)];
}
