import { useEffect, useState } from 'react';
import type { WorklistResponse } from '../../../shared/api/worklist.ts';
import { useApi } from '../../api/api-context.tsx';
import { errorMessage } from '../../api/api-error.ts';

export type WorklistState =
  | { status: 'loading' }
  | { status: 'shown'; list: WorklistResponse; live: boolean }
  | { status: 'failed'; message: string; list?: WorklistResponse };

/** Paints the worklist from the cache at once, then asks main to complete it from the systems. */
export function useWorklist(): WorklistState {
  const api = useApi();
  const [state, setState] = useState<WorklistState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    let painted: WorklistResponse | undefined;
    api.listWorklist({ from: 'cache' }).then(
      (list) => {
        painted = list;
        if (current) setState((s) => (s.status === 'shown' && !s.live ? s : { status: 'shown', list, live: true }));
      },
      () => {},
    );
    api.listWorklist({ from: 'systems' }).then(
      (list) => current && setState({ status: 'shown', list, live: false }),
      (error: unknown) => current && setState({ status: 'failed', message: errorMessage(error), ...(painted ? { list: painted } : {}) }),
    );
    return () => {
      current = false;
    };
  }, [api]);
  return state;
}
