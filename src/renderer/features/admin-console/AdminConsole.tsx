import { Suspense, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { CONSOLE_TABS } from './console-tabs.tsx';
import { ReadStatus } from '../admin-parts/index.ts';
import './admin-console.css';

/**
 * The administrator's start screen: the workstation's sources, data quality, audit trail and
 * configuration as tabs. Nothing here names a patient; every panel's read is audited in main.
 */
export function AdminConsole() {
  const { t } = useI18n();
  const [active, setActive] = useState(CONSOLE_TABS[0]!.id);
  const tabs = useRef<HTMLDivElement>(null);
  const current = CONSOLE_TABS.find((tab) => tab.id === active) ?? CONSOLE_TABS[0]!;

  // WAI-ARIA tabs: arrows move between tabs, Home/End to the ends; the panel follows the focus.
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = CONSOLE_TABS.findIndex((tab) => tab.id === current.id);
    const to: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: CONSOLE_TABS.length - 1 };
    if (!(e.key in to)) return;
    e.preventDefault();
    const next = CONSOLE_TABS[(to[e.key]! + CONSOLE_TABS.length) % CONSOLE_TABS.length]!;
    setActive(next.id);
    tabs.current?.querySelector<HTMLButtonElement>(`[data-tab="${next.id}"]`)?.focus();
  };

  return (
    <section className="acon" data-testid="admin-console" aria-labelledby="acon-title">
      <header className="acon__head">
        <h1 id="acon-title" className="acon__title">
          {t('console.title')}
        </h1>
        <p className="acon__lead">{t('console.lead')}</p>
      </header>
      <div ref={tabs} className="acon__tabs" role="tablist" aria-label={t('console.tabs')} onKeyDown={onKey}>
        {CONSOLE_TABS.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`acon-tab-${tab.id}`}
            className="acon__tab"
            aria-selected={tab.id === current.id}
            aria-controls={`acon-panel-${tab.id}`}
            tabIndex={tab.id === current.id ? 0 : -1}
            data-tab={tab.id}
            data-testid={`console-tab-${tab.id}`}
            onClick={() => setActive(tab.id)}
          >
            {t(tab.label)}
          </button>
        ))}
      </div>
      <div
        className="acon__panel"
        role="tabpanel"
        id={`acon-panel-${current.id}`}
        aria-labelledby={`acon-tab-${current.id}`}
        data-testid={`console-panel-${current.id}`}
      >
        <Suspense fallback={<ReadStatus loading error={undefined} />}>
          <current.Panel key={current.id} />
        </Suspense>
      </div>
    </section>
  );
}
