/** The critical-values strip's words (issue 16): built-in rules from the catalogs, hospital rules in their own words, order and units. */
import { describe, expect, it } from 'vitest';
import { directionMark, ordered, ruleText } from '../../../../../src/renderer/features/critical-values/index.ts';
import { unitWords } from '../../../../../src/renderer/features/critical-values/alert-words.ts';
import { catalogs } from '../../../../../src/renderer/i18n/catalogs.ts';
import type { MessageKey } from '../../../../../src/renderer/i18n/zh-CN.ts';
import { BUILT_IN_RULES } from '../../../../../src/main/services/clinical-alerts/built-in-rules.ts';
import type { CriticalValueView, RiskAlertView } from '../../../../../src/shared/api/contract.ts';

const tIn = (locale: 'zh-CN' | 'en') => (key: MessageKey) => catalogs[locale][key];

describe('risk alert words', () => {
  it('every built-in rule is worded in both languages', () => {
    for (const rule of BUILT_IN_RULES) {
      const alert: RiskAlertView = { ruleId: rule.id, severity: 'high', builtIn: true, evidence: [] };
      expect(ruleText(alert, 'zh-CN', tIn('zh-CN'))).not.toBe(rule.id);
      expect(ruleText(alert, 'en', tIn('en'))).not.toBe(rule.id);
    }
  });

  it('a hospital rule speaks its own words; an unknown built-in id is shown as it is', () => {
    const custom: RiskAlertView = {
      ruleId: 'x',
      severity: 'moderate',
      builtIn: false,
      label: { 'zh-CN': '转氨酶升高', en: 'ALT raised' },
      evidence: [],
    };
    expect(ruleText(custom, 'en', tIn('en'))).toBe('ALT raised');
    expect(ruleText(custom, 'zh-CN', tIn('zh-CN'))).toBe('转氨酶升高');
    expect(ruleText({ ruleId: 'new-rule', severity: 'high', builtIn: true, evidence: [] }, 'en', tIn('en'))).toBe('new-rule');
  });
});

describe('critical value lines', () => {
  const value = (entryId: string, acknowledged?: boolean): CriticalValueView => ({
    entryId,
    title: 'K',
    direction: 'high',
    ...(acknowledged ? { acknowledged: { by: { id: 'D1', displayName: '李医生' }, at: '2025-06-30T02:00:00Z' } } : {}),
  });

  it('keeps the unacknowledged first, each group in its order', () => {
    expect(ordered([value('a', true), value('b'), value('c', true), value('d')]).map((v) => v.entryId)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('marks direction as Chinese lab reports do, and prints eGFR’s unit readably', () => {
    expect([directionMark('high'), directionMark('low'), directionMark('abnormal')]).toEqual(['↑↑', '↓↓', '!!']);
    expect(unitWords('mL/min/{1.73_m2}')).toBe('mL/min/1.73 m²');
    expect(unitWords('mmol/L')).toBe('mmol/L');
  });
});
