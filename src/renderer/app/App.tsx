import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { HuizhenApi } from '../../shared/api/client.ts';
import { ApiProvider, useApi } from '../api/api-context.tsx';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { I18nProvider, useI18n } from '../i18n/i18n-context.tsx';
import { PatientBanner } from '../features/patient-banner/PatientBanner.tsx';
import { PatientSearch } from '../features/patient-search/PatientSearch.tsx';
import { GlobalOutageBanner, OutageBanner, SourceStatusBar, SourcesProvider, StaleSourcesProvider, useSourceRegistry } from '../features/sources/index.ts';
import { Labs } from '../features/labs/Labs.tsx';
import { Documents } from '../features/documents/index.ts';
import { Timeline } from '../features/timeline/Timeline.tsx';
import { SafetySummary } from '../features/summary/index.ts';
import { ImagingPanel, imagingStudyRefs } from '../features/imaging/index.ts';
import { PatientSession, type PatientView } from './patient-session.ts';
import { PatientTabs } from './PatientTabs.tsx';
import { visibleTabs, type PatientTab } from './patient-tabs.ts';
import { OpenViewProvider, type OpenViewRequest } from '../lib/open-view.tsx';
import { BreakGlassPanel, SessionBar, SessionGate, SessionProvider, useSession } from '../features/session/index.ts';
import './app.css';

export interface AppProps {
  api: HuizhenApi;
  transport?: 'electron' | 'http';
}

export function App({ api, transport }: AppProps) {
  return (
    <ApiProvider api={api}>
      <I18nProvider>
        <SessionProvider>
          <SessionGate openExternally={transport !== 'electron'}>
            <SourcesProvider>
              <Workstation transport={transport} />
            </SourcesProvider>
          </SessionGate>
        </SessionProvider>
      </I18nProvider>
    </ApiProvider>
  );
}

function usePatientSession(): PatientSession {
  const api = useApi();
  const registry = useSourceRegistry();
  const session = useMemo(() => new PatientSession(api), [api]);
  useEffect(() => {
    const off = api.onEvent((event) => session.handleEvent(event));
    const unwatch = session.subscribe(() => registry.merge(session.get().sources));
    const closeOnExit = () => session.close();
    window.addEventListener('pagehide', closeOnExit);
    return () => {
      off();
      unwatch();
      window.removeEventListener('pagehide', closeOnExit);
      session.close();
    };
  }, [api, session, registry]);
  return session;
}

function Workstation({ transport }: { transport: AppProps['transport'] }) {
  const { t } = useI18n();
  const session = usePatientSession();
  const view = useSyncExternalStore(session.subscribe, session.get);
  const signedIn = useSession();
  const reopen = () => view.candidate && session.open(view.candidate);
  // React keeps the previous render's props on a spare copy of each component (the alternate
  // fiber) until that component renders again: after a close, the banner's spare copy would
  // hold the closed patient's whole record (12 MB for 8,000 entries) until the next patient is
  // opened. One more render of the empty screen lets it go: a closed record should not linger.
  const [, settleClosed] = useState(0);
  useEffect(() => {
    if (view.phase === 'idle') settleClosed((n) => n + 1);
  }, [view.phase, view.seq]);

  return (
    <div className="app">
      <header className="app__header">
        <span className="app__brand">{t('app.title')}</span>
        <span className="app__subtitle">{t('app.subtitle')}</span>
        <span className="app__spacer" />
        {transport && <span className="app__transport">{t(`app.transport.${transport}`)}</span>}
        <LanguageSwitch />
        <SessionBar session={signedIn} />
      </header>
      <main className="app__body">
        <aside className="app__side">
          <PatientSearch openedKey={view.candidate?.key} onOpen={(c) => session.open(c)} />
        </aside>
        <section className="app__patient">
          <PatientBanner view={view} onClose={() => session.close()} />
          <div className="app__alerts">{view.phase === 'idle' ? <GlobalOutageBanner /> : <OutageBanner sources={view.sources} />}</div>
          {view.phase === 'failed' && view.errorCode === 'access-denied' && view.candidate ? (
            <BreakGlassPanel key={view.seq} refs={view.candidate.refs} message={view.error ?? ''} onGranted={reopen} />
          ) : (
            view.phase !== 'idle' && <PatientViews key={view.seq} view={view} onRetry={reopen} maskOverlay={signedIn.privacyMode || signedIn.rolesMaskIdentifiers} />
          )}
        </section>
      </main>
      <SourceStatusBar />
    </div>
  );
}

/**
 * One open patient's tabs; documents and imaging appear only when such entries exist.
 */
function PatientViews({ view, onRetry, maskOverlay }: { view: PatientView; onRetry(): void; maskOverlay: boolean }) {
  const { locale } = useI18n();
  const tabs = useMemo(() => visibleTabs(view.entries), [view.entries]);
  const studies = useMemo(() => imagingStudyRefs(view.entries), [view.entries]);
  const [request, setRequest] = useState<{ tab: PatientTab; seq: number; studyUid?: string; entryId?: string }>();
  const openView = useCallback((r: OpenViewRequest) => {
    setRequest((prev) => ({ tab: r.view, seq: (prev?.seq ?? 0) + 1, ...(r.view === 'imaging' ? { studyUid: r.studyUid } : {}), ...(r.view === 'timeline' ? { entryId: r.entryId } : {}) }));
  }, []);
  const render = (tab: PatientTab) => {
    switch (tab) {
      case 'summary':
        return <SafetySummary view={view} />;
      case 'timeline':
        return <Timeline view={view} onRetry={onRetry} {...(request?.entryId ? { show: { entryId: request.entryId, seq: request.seq } } : {})} />;
      case 'labs':
        return <Labs view={view} />;
      case 'documents':
        return <Documents view={view} />;
      case 'imaging':
        // Main already masks identity in the metadata; the overlay also hides what is left of it.
        return <ImagingPanel studies={studies} locale={locale} maskOverlay={maskOverlay} {...(request?.studyUid ? { initialStudyUid: request.studyUid } : {})} />;
    }
  };
  return (
    <OpenViewProvider open={openView}>
      <StaleSourcesProvider sources={view.sources}>
        <PatientTabs tabs={tabs} render={render} {...(request ? { request } : {})} />
      </StaleSourcesProvider>
    </OpenViewProvider>
  );
}
