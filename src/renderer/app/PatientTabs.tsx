import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { MessageKey } from '../i18n/catalogs.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { shortcutOf, tabForShortcut, type PatientTab } from './patient-tabs.ts';

export interface PatientTabsProps {
  tabs: readonly PatientTab[];
  /** Renders one tab's panel; called only for tabs visited, which then stay mounted (state kept). */
  render(tab: PatientTab): ReactNode;
  /** The tab shown first (the role's); falls back to the timeline when the patient has no such tab. */
  initial?: PatientTab;
  /** Told the tab shown, so a re-render of the same open (privacy mode re-masks it) comes back to it. */
  onShown?(tab: PatientTab): void;
  /** Another view asked for this tab (a new `seq` each time). */
  request?: { tab: PatientTab; seq: number };
}

/**
 * The open patient's views as tabs: click, ←/→ on the tab strip, or Alt+0…5 from anywhere.
 * A shortcut moves focus into the chosen view so the keyboard can go on from there.
 */
export function PatientTabs({ tabs, render, initial = 'timeline', onShown, request }: PatientTabsProps) {
  const { t } = useI18n();
  const [active, setActive] = useState<PatientTab>(initial);
  const [visited, setVisited] = useState<ReadonlySet<PatientTab>>(() => new Set([initial]));
  const [focusRequest, setFocusRequest] = useState(0);
  const panels = useRef<HTMLDivElement>(null);
  const current = tabs.includes(active) ? active : 'timeline';

  const choose = (tab: PatientTab, focusPanel: boolean) => {
    setActive(tab);
    setVisited((prev) => (prev.has(tab) ? prev : new Set([...prev, tab])));
    if (focusPanel) setFocusRequest((n) => n + 1);
  };

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const tab = tabForShortcut(e, tabs);
      if (!tab) return;
      e.preventDefault();
      choose(tab, true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tabs]);

  // Only a new request (seq) switches tabs, not a change of the visible tab list; it is
  // taken while rendering so the chosen tab shows in the same paint.
  const [handledSeq, setHandledSeq] = useState<number | undefined>();
  if (request && request.seq !== handledSeq) {
    setHandledSeq(request.seq);
    if (tabs.includes(request.tab)) choose(request.tab, true);
  }

  useEffect(() => onShown?.(current), [onShown, current]);

  useEffect(() => {
    if (focusRequest === 0) return;
    const panel = panels.current?.querySelector<HTMLElement>(`[data-tab-panel="${current}"]`);
    panel?.querySelector<HTMLElement>('[data-focus-target]')?.focus();
  }, [focusRequest, current]);

  const onStripKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.indexOf(current);
    let next: PatientTab | undefined;
    if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (!next) return;
    e.preventDefault();
    choose(next, false);
    e.currentTarget.querySelector<HTMLElement>(`[data-tab="${next}"]`)?.focus();
  };

  return (
    <div className="ptabs">
      <div className="ptabs__strip" role="tablist" aria-label={t('tabs.label')} data-testid="patient-tabs" onKeyDown={onStripKey}>
        {tabs.map((tab) => {
          const keys = shortcutOf(tab);
          return (
            <button
              key={tab}
              type="button"
              role="tab"
              id={`ptab-${tab}`}
              aria-selected={tab === current}
              aria-controls={`ptabpanel-${tab}`}
              aria-keyshortcuts={keys}
              tabIndex={tab === current ? 0 : -1}
              className="ptabs__tab"
              data-tab={tab}
              data-testid={`tab-${tab}`}
              title={t('tabs.shortcut', { keys })}
              onClick={() => choose(tab, false)}
            >
              {t(`tabs.${tab}` as MessageKey)}
              <kbd className="ptabs__kbd">{keys}</kbd>
            </button>
          );
        })}
      </div>
      <div className="ptabs__panels" ref={panels}>
        {tabs
          .filter((tab) => visited.has(tab) || tab === current)
          .map((tab) => (
            <div
              key={tab}
              id={`ptabpanel-${tab}`}
              role="tabpanel"
              aria-labelledby={`ptab-${tab}`}
              className="ptabs__panel"
              data-tab-panel={tab}
              hidden={tab !== current}
            >
              {render(tab)}
            </div>
          ))}
      </div>
    </div>
  );
}
