import { useEffect, useState } from 'react';
import { errorMessage } from '../api/api-error.ts';

export type ApiRead<T> = {
  /** The last answer (kept while a newer read is on its way, so charts do not blink). */
  value: T | undefined;
  loading: boolean;
  error: string | undefined;
  reload(): void;
};

/**
 * One panel's read through the API (the administrator's console panels): again whenever `read`
 * changes (memoise it on what it asks) or on reload(). State is derived from which read the last answer belongs to, never reset in
 * the effect itself.
 */
export function useApiRead<T>(read: () => Promise<T>): ApiRead<T> {
  const [nonce, setNonce] = useState(0);
  const [answer, setAnswer] = useState<{ read: () => Promise<T>; nonce: number; value?: T; error?: string }>();
  useEffect(() => {
    let live = true;
    read().then(
      (value) => live && setAnswer({ read, nonce, value }),
      (error: unknown) =>
        live &&
        setAnswer((previous) => ({
          read,
          nonce,
          ...(previous?.value !== undefined ? { value: previous.value } : {}),
          error: errorMessage(error),
        })),
    );
    return () => {
      live = false;
    };
  }, [read, nonce]);
  const current = answer?.read === read && answer.nonce === nonce;
  return {
    value: answer?.value,
    loading: !current,
    error: current ? answer.error : undefined,
    reload: () => setNonce((n) => n + 1),
  };
}
