import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { SessionView } from '../../../shared/api/session.ts';
import { useApi } from '../../api/api-context.tsx';
import { SessionStore, type SessionState } from './session-store.ts';

const SessionContext = createContext<SessionStore | null>(null);

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel'] as const;

export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const store = useMemo(() => new SessionStore(api), [api]);
  useEffect(() => {
    const off = api.onEvent((event) => store.handleEvent(event));
    void store.refresh();
    const onActivity = () => store.noteActivity();
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { passive: true, capture: true });
    return () => {
      off();
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [api, store]);
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore outside SessionProvider');
  return store;
}

export function useSessionState(): SessionState {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.get);
}

/** The active session's view; only used below the sign-in gate, where one exists. */
export function useSession(): SessionView {
  const state = useSessionState();
  if (state.phase !== 'ready') throw new Error('useSession before the session loaded');
  return state.session;
}
