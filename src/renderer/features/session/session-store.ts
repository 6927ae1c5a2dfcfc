import type { HuizhenApi } from '../../../shared/api/client.ts';
import type { ApiEvent } from '../../../shared/api/events.ts';
import type { SessionView } from '../../../shared/api/session.ts';
import { errorMessage } from '../../api/api-error.ts';
import { Store } from '../../lib/store.ts';

export type SessionState = { phase: 'loading' } | { phase: 'unavailable'; error: string } | { phase: 'ready'; session: SessionView };

/** Activity is reported at most this often; main's idle lock counts from the last report. */
const ACTIVITY_INTERVAL_MS = 30_000;

type SessionApi = Pick<HuizhenApi, 'getSession' | 'reportActivity'>;

/**
 * The renderer's copy of main's session: fetched once, then kept current by session.changed
 * events (an OIDC sign-in finishing in the system browser, the idle lock, expiry).
 */
export class SessionStore extends Store<SessionState> {
  private readonly api: SessionApi;
  private lastActivity = 0;

  constructor(api: SessionApi) {
    super({ phase: 'loading' });
    this.api = api;
  }

  async refresh(): Promise<void> {
    try {
      const { session } = await this.api.getSession({});
      this.set({ phase: 'ready', session });
    } catch (error) {
      this.set({ phase: 'unavailable', error: errorMessage(error) });
    }
  }

  /** A sign-in, unlock or toggle answered with the new session. */
  update(session: SessionView): void {
    this.set({ phase: 'ready', session });
  }

  handleEvent(event: ApiEvent): void {
    if (event.type === 'session.changed') this.update(event.session);
  }

  /** Called on user input; tells main at most every 30 s so the idle lock does not fire mid-reading. */
  noteActivity(now = Date.now()): void {
    const s = this.get();
    if (s.phase !== 'ready' || s.session.state !== 'active' || now - this.lastActivity < ACTIVITY_INTERVAL_MS) return;
    this.lastActivity = now;
    this.api.reportActivity({}).catch(() => {
      // A failed report only risks an earlier lock; main's answer to the next call says so.
    });
  }
}
