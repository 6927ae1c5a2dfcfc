import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { HuizhenApi } from '../../shared/api/client.ts';
import { ApiProvider, useApi } from '../api/api-context.tsx';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { I18nProvider, useI18n } from '../i18n/i18n-context.tsx';
import { PatientBanner } from '../features/patient-banner/PatientBanner.tsx';
import { PatientSearch } from '../features/patient-search/PatientSearch.tsx';
import type { SearchProgressListener } from '../features/patient-search/use-patient-search.ts';
import {
  GlobalOutageBanner,
  OutageBanner,
  SourceStatusBar,
  SourcesProvider,
  StaleSourcesProvider,
  useSourceRegistry,
} from '../features/sources/index.ts';
import { Labs } from '../features/labs/Labs.tsx';
import { Documents } from '../features/documents/index.ts';
import { Timeline } from '../features/timeline/Timeline.tsx';
import { SafetySummary } from '../features/summary/index.ts';
import {
  ImagingPanel,
  imagingStudyRefs,
  preloadViewer,
  studyOrders,
  studyReports,
  WithheldReportsProvider,
} from '../features/imaging/index.ts';
import { Vitals } from '../features/vitals/index.ts';
import { WithCriticalValues } from '../features/critical-values/index.ts';
import { OpenPatientView, type PatientView } from '../patient/open-patient-view.ts';
import { onLinkChange } from '../patient/link-changes.ts';
import { PatientTabs } from './PatientTabs.tsx';
import { firstTab, visibleTabs, type PatientTab } from './patient-tabs.ts';
import { OpenViewProvider, type OpenViewRequest } from '../lib/open-view.tsx';
import { BreakGlassPanel, SessionBar, SessionGate, SessionProvider, useSession } from '../features/session/index.ts';
import { SystemView } from '../features/system/index.ts';
import { AdminConsole } from '../features/admin-console/index.ts';
import { useSidebar } from './use-sidebar.ts';
import { Worklist, WorklistBack, forgetLastLook, startsFromWorklist } from '../features/worklist/index.ts';
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
              <Landing transport={transport} />
            </SourcesProvider>
          </SessionGate>
        </SessionProvider>
      </I18nProvider>
    </ApiProvider>
  );
}

function useOpenPatientView(): OpenPatientView {
  const api = useApi();
  const registry = useSourceRegistry();
  const session = useMemo(() => new OpenPatientView(api), [api]);
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

/** Who reads patients lands on the workstation; the administrator (no patient search) on the console, or the system view. */
function Landing({ transport }: { transport: AppProps['transport'] }) {
  const signedIn = useSession();
  if (signedIn.capabilities.includes('search')) return <Workstation transport={transport} />;
  return (
    <div className="app">
      <AppHeader transport={transport} />
      <main className="app__body">{signedIn.capabilities.includes('admin-console') ? <AdminConsole /> : <SystemView />}</main>
    </div>
  );
}

function AppHeader({ transport }: { transport: AppProps['transport'] }) {
  const { t } = useI18n();
  const signedIn = useSession();
  return (
    <header className="app__header">
      <span className="app__brand">{t('app.title')}</span>
      <span className="app__subtitle">{t('app.subtitle')}</span>
      <span className="app__spacer" />
      {transport && <span className="app__transport">{t(`app.transport.${transport}`)}</span>}
      <LanguageSwitch />
      <SessionBar session={signedIn} />
    </header>
  );
}

/** Main re-masks what it has open when privacy mode switches; the session drops only what main cannot re-mask. */
function usePrivacySwitch(session: OpenPatientView, privacyMode: boolean): void {
  const [seen, setSeen] = useState(privacyMode);
  if (seen !== privacyMode) {
    setSeen(privacyMode);
    session.privacyModeChanged();
  }
}

function Workstation({ transport }: { transport: AppProps['transport'] }) {
  const session = useOpenPatientView();
  const view = useSyncExternalStore(session.subscribe, session.get);
  const signedIn = useSession();
  usePrivacySwitch(session, signedIn.privacyMode);
  const { t } = useI18n();
  const reopen = () => view.candidate && session.open(view.candidate);
  const wardStart = startsFromWorklist(signedIn.user?.roles);
  const closePatient = useCallback(() => session.close(), [session]);
  // The tab shown in this open: privacy mode re-renders the patient (a new mask level) on the same tab.
  const [shown, setShown] = useState<{ seq: number; tab: PatientTab }>();
  const onShown = useCallback((tab: PatientTab) => setShown({ seq: view.seq, tab }), [view.seq]);
  const side = useSidebar(view.phase !== 'idle' && shown?.seq === view.seq && shown.tab === 'imaging');
  const onSearchProgress = useCallback<SearchProgressListener>((found, pending) => session.searchProgress(found, pending), [session]);
  useEffect(() => onLinkChange(() => session.linkChanged()), [session]);
  // Who searches patients opens images: the viewer's code loads while the reader searches.
  useEffect(() => preloadViewer(), []);
  // React keeps the previous render's props on a spare copy of each component (the alternate
  // fiber) until that component renders again: after a close, the banner's spare copy would
  // hold the closed patient's whole record (12 MB for 8,000 entries) until the next patient is
  // opened. One more render of the empty screen lets it go: a closed record should not linger.
  // It is scheduled from the commit because the spare copy is swapped only by a second commit.
  const [, settleClosed] = useState(0);
  useEffect(() => {
    if (view.phase !== 'idle') return;
    const timer = setTimeout(() => settleClosed((n) => n + 1), 0);
    return () => clearTimeout(timer);
  }, [view.phase, view.seq]);

  return (
    <div className="app">
      <AppHeader transport={transport} />
      <main className={`app__body${side.open ? '' : ' app__body--side-closed'}`}>
        <aside
          className="app__side"
          data-testid="search-sidebar"
          data-open={side.open ? 'true' : 'false'}
          data-folded-for-viewer={side.foldedForViewer ? 'true' : 'false'}
        >
          <button
            type="button"
            className="app__side-toggle"
            onClick={side.toggle}
            aria-expanded={side.open}
            aria-controls="patient-search-panel"
            title={`${t(side.open ? 'app.sidebar.collapse' : 'app.sidebar.expand')}${side.foldedForViewer ? ` — ${t('app.sidebar.foldedForViewer')}` : ''} (Alt+\\)`}
            data-testid="search-sidebar-toggle"
          >
            {side.open ? '«' : `» ${t('app.sidebar.search')}`}
          </button>
          <div id="patient-search-panel" className="app__side-panel" hidden={!side.open}>
            {/* A privacy switch empties the search: its query and results were typed and masked for the old mode. */}
            <PatientSearch
              key={signedIn.privacyMode ? 'private' : 'plain'}
              openedKey={view.candidate?.key}
              onOpen={(c) => (forgetLastLook(), session.open(c))}
              onProgress={onSearchProgress}
            />
          </div>
        </aside>
        <section className="app__patient">
          {/* Ward worklist (issue 16): the start screen of ward staff, and the way back to it. */}
          {wardStart && view.phase === 'idle' ? (
            <Worklist
              onOpen={(c) => session.open(c)}
              // Live links merge into the person opened from the list only while that person is still open.
              onMoreLinks={(person) => {
                const open = session.get().candidate;
                if (
                  open?.refs.some((r) => r.sourceId === person.refs[0]?.sourceId && r.sourcePatientId === person.refs[0]?.sourcePatientId)
                )
                  session.open(person);
              }}
            />
          ) : (
            <PatientBanner view={view} onClose={() => session.close()} lead={wardStart && <WorklistBack onBack={closePatient} />} />
          )}
          <div className="app__alerts">{view.phase === 'idle' ? <GlobalOutageBanner /> : <OutageBanner sources={view.sources} />}</div>
          {view.phase === 'failed' && view.denial === 'not-one-person' ? (
            <NotOnePerson />
          ) : view.phase === 'failed' && view.errorCode === 'access-denied' && view.candidate ? (
            <BreakGlassPanel key={view.seq} refs={view.candidate.refs} message={view.error ?? ''} onGranted={reopen} />
          ) : (
            view.phase !== 'idle' && (
              <PatientViews
                shownTab={shown?.seq === view.seq ? shown.tab : undefined}
                onShown={onShown}
                key={`${view.seq}:${view.access?.maskLevel ?? ''}`}
                view={view}
                onRetry={reopen}
                maskOverlay={signedIn.privacyMode}
              />
            )
          )}
        </section>
      </main>
      <SourceStatusBar />
    </div>
  );
}

/** Main refused records it does not know to be one person: break-the-glass cannot help; confirming the link can. */
function NotOnePerson() {
  const { t } = useI18n();
  return (
    <section className="break-glass" data-testid="access-not-one-person" role="alert">
      <h2>{t('access.deniedTitle')}</h2>
      <p>{t('access.notOnePerson')}</p>
    </section>
  );
}

/**
 * One open patient's tabs; documents and imaging appear only when such entries exist.
 */
interface PatientViewsProps {
  view: PatientView;
  onRetry(): void;
  maskOverlay: boolean;
  /** The tab this open was last on, if it was rendered before. */
  shownTab: PatientTab | undefined;
  onShown(tab: PatientTab): void;
}

function PatientViews({ view, onRetry, maskOverlay, shownTab, onShown }: PatientViewsProps) {
  const { locale } = useI18n();
  // Keyed per open (view.seq): each patient opens on the role's first tab.
  const roleTab = firstTab(useSession().user?.roles);
  const initial = shownTab ?? roleTab;
  const tabs = useMemo(() => visibleTabs(view.entries), [view.entries]);
  const studies = useMemo(() => imagingStudyRefs(view.entries), [view.entries]);
  const reports = useMemo(() => studyReports(view.entries), [view.entries]);
  const orders = useMemo(() => studyOrders(view.entries), [view.entries]);
  const [request, setRequest] = useState<{ tab: PatientTab; seq: number; studyUid?: string; entryId?: string; documentId?: string }>();
  const openView = useCallback((r: OpenViewRequest) => {
    setRequest((prev) => ({
      tab: r.view,
      seq: (prev?.seq ?? 0) + 1,
      ...(r.view === 'imaging' ? { studyUid: r.studyUid } : {}),
      ...(r.view === 'timeline' ? { entryId: r.entryId } : {}),
      ...(r.view === 'documents' && r.entryId ? { documentId: r.entryId } : {}),
    }));
  }, []);
  const render = (tab: PatientTab) => {
    switch (tab) {
      case 'summary':
        return <SafetySummary view={view} />;
      case 'timeline':
        return (
          <Timeline view={view} onRetry={onRetry} {...(request?.entryId ? { show: { entryId: request.entryId, seq: request.seq } } : {})} />
        );
      case 'labs':
        return <Labs view={view} />;
      case 'documents':
        return <Documents view={view} {...(request?.documentId ? { show: { entryId: request.documentId, seq: request.seq } } : {})} />;
      case 'imaging':
        // Main already masks identity in the metadata; the overlay also hides what is left of it.
        return (
          <WithheldReportsProvider withheldStudyReportTypes={view.access?.withheldStudyReportTypes}>
            <ImagingPanel
              studies={studies}
              reports={reports}
              orders={orders}
              locale={locale}
              maskOverlay={maskOverlay}
              {...(request?.studyUid ? { initialStudyUid: request.studyUid } : {})}
            />
          </WithheldReportsProvider>
        );
      case 'vitals':
        return <Vitals view={view} />;
    }
  };
  return (
    <OpenViewProvider open={openView}>
      <StaleSourcesProvider sources={view.sources}>
        <WithCriticalValues view={view}>
          <PatientTabs tabs={tabs} render={render} initial={initial} onShown={onShown} {...(request ? { request } : {})} />
        </WithCriticalValues>
      </StaleSourcesProvider>
    </OpenViewProvider>
  );
}
