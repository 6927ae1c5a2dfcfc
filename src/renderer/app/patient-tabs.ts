import type { TimelineEntry } from '../../shared/domain/timeline.ts';
import { hasVitalSigns } from '../features/vitals/index.ts';

/**
 * The views of an open patient, in tab order; the shortcut is Alt + the position here: the
 * safety summary first (Alt+0), so the timeline and the rest keep the Alt+1… they always had.
 */
export const PATIENT_TABS = ['summary', 'timeline', 'labs', 'documents', 'imaging', 'vitals'] as const;
export type PatientTab = (typeof PATIENT_TABS)[number];

/**
 * Which tabs this patient has. Summary, Timeline and Labs always (each says so when empty); Documents,
 * Imaging and Vitals only when the record holds such entries, so no tab ever opens onto nothing.
 */
export function visibleTabs(entries: readonly TimelineEntry[]): PatientTab[] {
  let documents = false;
  let imaging = false;
  for (const e of entries) {
    if (e.kind === 'document') documents = true;
    else if (e.kind === 'imaging') imaging = true;
    if (documents && imaging) break;
  }
  // Vitals, like documents and imaging, only when there is something to chart.
  const vitals = hasVitalSigns(entries);
  return PATIENT_TABS.filter((tab) => (tab === 'documents' ? documents : tab === 'imaging' ? imaging : tab === 'vitals' ? vitals : true));
}

/**
 * The tab a patient opens on. Ward doctors and nurses read allergies, problems and current
 * medications before anything else (issue 16), so they land on the safety summary; the
 * radiologist and the administrator keep the timeline, where the studies and reports are listed.
 */
export function firstTab(roles: readonly string[] | undefined): PatientTab {
  return (roles ?? []).some((r) => r === 'ward-doctor' || r === 'nurse') ? 'summary' : 'timeline';
}

export function shortcutOf(tab: PatientTab): string {
  return `Alt+${PATIENT_TABS.indexOf(tab)}`;
}

export interface ShortcutKey {
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** KeyboardEvent.code: layout-independent, and Alt+digit types other characters on macOS. */
  code: string;
}

/** The tab an Alt+digit names, if it is one this patient has. */
export function tabForShortcut(key: ShortcutKey, visible: readonly PatientTab[]): PatientTab | undefined {
  if (!key.altKey || key.ctrlKey || key.metaKey || key.shiftKey) return undefined;
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(key.code);
  if (!m) return undefined;
  const tab = PATIENT_TABS[Number(m[1])];
  return tab && visible.includes(tab) ? tab : undefined;
}
