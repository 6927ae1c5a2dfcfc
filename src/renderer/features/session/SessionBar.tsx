import type { SessionView } from '../../../shared/api/session.ts';
import { useApi } from '../../api/api-context.tsx';
import { errorMessage } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSessionStore } from './session-context.tsx';

/** Who is signed in and in which role, privacy mode, lock and sign out: always in the header. */
export function SessionBar({ session }: { session: SessionView }) {
  const { t } = useI18n();
  const api = useApi();
  const store = useSessionStore();
  const user = session.user;
  if (!user) return null;
  const act = (call: () => Promise<{ session: SessionView }>) => {
    call().then(
      (res) => store.update(res.session),
      (e: unknown) => console.warn('huizhen: session action failed', errorMessage(e)),
    );
  };
  const seesPatients = session.capabilities.includes('search') || session.capabilities.includes('open');
  return (
    <div className="session-bar" data-testid="session-bar">
      <span className="session-bar__user" data-testid="session-user">
        {user.displayName}
        <span className="session-bar__roles" data-testid="session-roles">
          {user.roles.map((r) => t(`role.${r}`)).join(' · ')}
        </span>
      </span>
      {/* Privacy mode masks patient data: a role that sees none (the administrator) has no use for it. */}
      {seesPatients && (
        <button
          type="button"
          className={`session-bar__privacy${session.privacyMode ? ' session-bar__privacy--on' : ''}`}
          aria-pressed={session.privacyMode}
          title={t('session.privacyHint')}
          onClick={() => act(() => api.setPrivacyMode({ enabled: !session.privacyMode }))}
          data-testid="privacy-mode"
        >
          {session.privacyMode ? t('session.privacyOn') : t('session.privacyOff')}
        </button>
      )}
      <button type="button" onClick={() => act(() => api.lockSession({}))} data-testid="session-lock" title={t('session.lockHint')}>
        {t('session.lock')}
      </button>
      <button type="button" onClick={() => act(() => api.signOut({}))} data-testid="session-sign-out">
        {t('session.signOut')}
      </button>
    </div>
  );
}
