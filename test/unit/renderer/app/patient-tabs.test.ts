import { describe, expect, it } from 'vitest';
import { firstTab, shortcutOf, tabForShortcut, visibleTabs } from '../../../../src/renderer/app/patient-tabs.ts';
import { entry } from '../fixtures.ts';

const key = (code: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({
  altKey: true,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  code,
  ...mods,
});

describe('patient tabs', () => {
  it('opens ward doctors and nurses on the safety summary, others on the timeline', () => {
    expect(firstTab(['ward-doctor'])).toBe('summary');
    expect(firstTab(['nurse'])).toBe('summary');
    expect(firstTab(['radiologist', 'ward-doctor'])).toBe('summary');
    expect(firstTab(['radiologist'])).toBe('timeline');
    expect(firstTab(['administrator'])).toBe('timeline');
    expect(firstTab(undefined)).toBe('timeline');
  });
  it('shows documents and imaging only when the record has such entries', () => {
    expect(visibleTabs([entry('o', '2024-01-01')])).toEqual(['summary', 'timeline', 'labs']);
    expect(visibleTabs([entry('d', '2024-01-01', { kind: 'document' }), entry('i', '2024-01-01', { kind: 'imaging' })])).toEqual([
      'summary',
      'timeline',
      'labs',
      'documents',
      'imaging',
    ]);
  });
  it('maps Alt+digit (by key position) to a visible tab only', () => {
    const tabs = visibleTabs([entry('i', '2024-01-01', { kind: 'imaging' })]);
    expect(tabForShortcut(key('Digit2'), tabs)).toBe('labs');
    expect(tabForShortcut(key('Numpad4'), tabs)).toBe('imaging');
    expect(tabForShortcut(key('Digit3'), tabs)).toBeUndefined();
    expect(tabForShortcut(key('Digit1', { altKey: false }), tabs)).toBeUndefined();
    expect(tabForShortcut(key('Digit1', { ctrlKey: true }), tabs)).toBeUndefined();
    expect(tabForShortcut(key('KeyA'), tabs)).toBeUndefined();
    expect(shortcutOf('imaging')).toBe('Alt+4');
    // The safety summary sits before the timeline on Alt+0; the others keep their digits.
    expect(tabForShortcut(key('Digit0'), tabs)).toBe('summary');
    expect(shortcutOf('summary')).toBe('Alt+0');
    expect(shortcutOf('timeline')).toBe('Alt+1');
  });
  it('shows vitals only when the record holds a vital sign, on Alt+5', () => {
    const pulse = entry('p', '2024-01-01T08:00:00', {
      codes: [{ system: 'http://loinc.org', code: '8867-4' }],
      lab: { loinc: '8867-4', value: 80, unit: '/min' },
    });
    const tabs = visibleTabs([pulse]);
    expect(tabs).toEqual(['summary', 'timeline', 'labs', 'vitals']);
    expect(tabForShortcut(key('Digit5'), tabs)).toBe('vitals');
    expect(shortcutOf('vitals')).toBe('Alt+5');
  });
});
