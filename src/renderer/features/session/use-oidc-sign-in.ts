import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { errorMessage } from '../../api/api-error.ts';

/**
 * Starts an OIDC sign-in: main prepares the authorization request and listens on its loopback
 * redirect; the identity provider's page opens in the system browser (the desktop shell opens it,
 * the browser host opens a new tab here). Completion arrives as a session.changed event.
 */
export function useOidcSignIn(openExternally: boolean) {
  const api = useApi();
  const [state, setState] = useState<'idle' | 'starting' | 'waiting'>('idle');
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();
  const start = async () => {
    setState('starting');
    setError(undefined);
    try {
      const { authorizationUrl } = await api.beginOidcSignIn({});
      setUrl(authorizationUrl);
      if (openExternally) window.open(authorizationUrl, '_blank', 'noopener,noreferrer');
      setState('waiting');
    } catch (e) {
      setError(errorMessage(e));
      setState('idle');
    }
  };
  return { state, url, error, start };
}
