import { useState, type FormEvent } from 'react';
import type { SessionView } from '../../../shared/api/session.ts';
import { useApi } from '../../api/api-context.tsx';
import { errorText } from '../../i18n/error-text.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSessionStore } from './session-context.tsx';
import { useOidcSignIn } from './use-oidc-sign-in.ts';

/** Covers the whole screen while the session is locked; the patient underneath is not rendered visible. */
export function LockScreen({ session, openExternally }: { session: SessionView; openExternally: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const store = useSessionStore();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const oidc = useOidcSignIn(openExternally);
  const local = session.user?.authMethod === 'local';
  const oidcFailure = session.oidcFailure && session.oidcFailure.at !== oidc.staleFailureAt ? session.oidcFailure.reason : undefined;

  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const res = await api.unlockLocal({ password });
      setPassword('');
      store.update(res.session);
    } catch (e) {
      setError(errorText(i18n, e));
    }
  };
  const signOut = async () => store.update((await api.signOut({})).session);

  return (
    <div className="signin signin--locked" data-testid="lock-screen" role="dialog" aria-modal="true" aria-label={t('session.locked')}>
      <div className="signin__card">
        <h1 className="signin__title">{t('session.locked')}</h1>
        <p className="signin__lead">{t('session.lockedBy', { name: session.user?.displayName ?? '' })}</p>
        {session.notice === 'idle-locked' && (
          <p className="signin__notice">{t('session.notice.idle-locked', { minutes: session.idleLockMinutes })}</p>
        )}
        {local ? (
          <form className="signin__form" onSubmit={(e) => void unlock(e)}>
            <label>
              <span>{t('session.password')}</span>
              <input
                type="password"
                autoFocus
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="unlock-password"
                required
              />
            </label>
            {error && (
              <p className="signin__error" role="alert" data-testid="unlock-error">
                {error}
              </p>
            )}
            <button type="submit" className="signin__primary" data-testid="unlock-submit">
              {t('session.unlock')}
            </button>
          </form>
        ) : (
          <>
            <button
              type="button"
              className="signin__primary"
              onClick={() => void oidc.start(session.oidcFailure?.at)}
              data-testid="unlock-oidc"
            >
              {t('session.unlockOidc')}
            </button>
            {oidcFailure && (
              <p className="signin__error" role="alert" data-testid="unlock-oidc-failed">
                {t(`session.oidcFailed.${oidcFailure}`)}
              </p>
            )}
          </>
        )}
        <button type="button" className="signin__secondary" onClick={() => void signOut()} data-testid="lock-sign-out">
          {t('session.switchUser')}
        </button>
      </div>
    </div>
  );
}
