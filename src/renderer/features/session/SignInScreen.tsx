import { useState, type FormEvent } from 'react';
import type { SessionView } from '../../../shared/api/session.ts';
import { useApi } from '../../api/api-context.tsx';
import { errorText } from '../../i18n/error-text.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.tsx';
import { useSessionStore } from './session-context.tsx';
import { useOidcSignIn } from './use-oidc-sign-in.ts';

/** The first screen: a local account, or the hospital's identity provider (OIDC) when configured. */
export function SignInScreen({ session, openExternally }: { session: SessionView; openExternally: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const store = useSessionStore();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const oidc = useOidcSignIn(openExternally);
  const oidcFailure = session.oidcFailure && session.oidcFailure.at !== oidc.staleFailureAt ? session.oidcFailure.reason : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.signInLocal({ username, password });
      setPassword('');
      store.update(res.session);
    } catch (e) {
      setError(errorText(i18n, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin" data-testid="sign-in-screen">
      <div className="signin__card">
        <div className="signin__head">
          <h1 className="signin__title">{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="signin__lead">{t('session.signInLead')}</p>
        {session.notice && session.notice !== 'signed-out' && (
          <p className="signin__notice" role="status" data-testid="sign-in-notice">
            {t(`session.notice.${session.notice}`)}
          </p>
        )}
        {session.methods.oidc && (
          <div className="signin__sso">
            <button
              type="button"
              className="signin__primary"
              onClick={() => void oidc.start(session.oidcFailure?.at)}
              disabled={oidc.state === 'starting'}
              data-testid="sign-in-oidc"
            >
              {t('session.signInOidc')}
            </button>
            {oidc.state === 'waiting' && !oidcFailure && (
              <p className="signin__hint" role="status" data-testid="sign-in-oidc-waiting">
                {t('session.oidcWaiting')}{' '}
                {oidc.url && (
                  <a href={oidc.url} target="_blank" rel="noopener noreferrer" data-testid="sign-in-oidc-link">
                    {t('session.oidcOpenAgain')}
                  </a>
                )}
              </p>
            )}
            {oidc.error !== undefined && (
              <p className="signin__error" role="alert">
                {errorText(i18n, oidc.error)}
              </p>
            )}
            {oidcFailure && (
              <p className="signin__error" role="alert" data-testid="sign-in-oidc-failed">
                {t(`session.oidcFailed.${oidcFailure}`)}
              </p>
            )}
          </div>
        )}
        {session.methods.local && (
          <form className="signin__form" onSubmit={(e) => void submit(e)} aria-label={t('session.localAccount')}>
            {session.methods.oidc && <p className="signin__or">{t('session.orLocal')}</p>}
            <label>
              <span>{t('session.username')}</span>
              <input
                autoFocus
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                data-testid="sign-in-username"
                required
              />
            </label>
            <label>
              <span>{t('session.password')}</span>
              <input
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="sign-in-password"
                required
              />
            </label>
            {error && (
              <p className="signin__error" role="alert" data-testid="sign-in-error">
                {error}
              </p>
            )}
            <button type="submit" className="signin__primary" disabled={busy} data-testid="sign-in-submit">
              {t('session.signIn')}
            </button>
          </form>
        )}
        {!session.methods.local && !session.methods.oidc && <p className="signin__error">{t('session.noMethods')}</p>}
      </div>
    </div>
  );
}
