import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { LockScreen } from './LockScreen.tsx';
import { useSessionState } from './session-context.tsx';
import { SignInScreen } from './SignInScreen.tsx';

/**
 * Nothing of the workstation renders until someone is signed in. While locked, the workstation
 * stays mounted (the doctor comes back to the same patient) but hidden and inert under the lock.
 */
export function SessionGate({ children, openExternally }: { children: ReactNode; openExternally: boolean }) {
  const { t } = useI18n();
  const state = useSessionState();
  if (state.phase === 'loading') return <div className="signin" aria-busy="true" />;
  if (state.phase === 'unavailable') {
    return (
      <div className="signin" role="alert" data-testid="session-unavailable">
        <p className="signin__error">{t('session.unavailable', { error: state.error })}</p>
      </div>
    );
  }
  const { session } = state;
  if (session.state === 'signed-out') return <SignInScreen session={session} openExternally={openExternally} />;
  const locked = session.state === 'locked';
  return (
    <>
      {/* Switching privacy mode keeps the workstation: main re-sends the open patient masked at the new level (patient.remasked). */}
      <div className="session-gate" hidden={locked} inert={locked} data-privacy={session.privacyMode ? 'on' : 'off'}>
        {children}
      </div>
      {locked && <LockScreen session={session} openExternally={openExternally} />}
    </>
  );
}
