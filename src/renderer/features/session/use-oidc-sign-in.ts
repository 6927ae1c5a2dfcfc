import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';

/**
 * Starts an OIDC sign-in: main prepares the authorization request and listens on its loopback
 * redirect; the identity provider's page opens in the system browser (the desktop shell opens it,
 * the browser host opens a new tab here). Completion arrives as a session.changed event.
 */
export function useOidcSignIn(openExternally: boolean) {
  const api = useApi();
  const [state, setState] = useState<'idle' | 'starting' | 'waiting'>('idle');
  const [url, setUrl] = useState<string>();
  // Worded by the screen: a refusal carries its reason as a code.
  const [error, setError] = useState<unknown>();
  // The failure main reported before this attempt is not this attempt's.
  const [staleFailureAt, setStaleFailureAt] = useState<string>();
  const start = async (previousFailureAt: string | undefined) => {
    setState('starting');
    setError(undefined);
    setStaleFailureAt(previousFailureAt);
    try {
      const { authorizationUrl } = await api.beginOidcSignIn({});
      setUrl(authorizationUrl);
      if (openExternally) window.open(authorizationUrl, '_blank', 'noopener,noreferrer');
      setState('waiting');
    } catch (e) {
      setError(e ?? new Error('sign-in did not start'));
      setState('idle');
    }
  };
  return { state, url, error, staleFailureAt, start };
}
