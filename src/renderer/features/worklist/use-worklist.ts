import { useEffect, useState } from 'react';
import type { WorklistResponse } from '../../../shared/api/worklist.ts';
import { useApi } from '../../api/api-context.tsx';

export type WorklistState =
  | { status: 'loading' }
  | { status: 'shown'; list: WorklistResponse; live: boolean }
  | { status: 'failed'; error: unknown; list?: WorklistResponse };

/** A re-read's rows replace the shown ones in place: the list stays, only what changed repaints. */
export function withList(state: WorklistState, list: WorklistResponse): WorklistState {
  if (state.status === 'loading') return { status: 'shown', list, live: true };
  // A re-read from the cache asks no census source: the last live listing's failures and answers still stand.
  const failures = state.list?.censusFailures;
  const answered = state.list?.censusAnsweredBy;
  return {
    ...state,
    list: {
      ...list,
      ...(!list.censusFailures && failures ? { censusFailures: failures } : {}),
      ...(!list.censusAnsweredBy && answered ? { censusAnsweredBy: answered } : {}),
    },
  };
}

/**
 * Re-reads in turn: one read at a time and at most one waiting, so a burst of signals (main
 * already coalesces them) never stacks reads up behind a slow one.
 */
export function rereadInTurn(read: () => Promise<void>): () => void {
  let reading = false;
  let again = false;
  const run = (): void => {
    reading = true;
    read()
      .catch(() => {})
      .finally(() => {
        reading = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return () => {
    if (reading) again = true;
    else run();
  };
}

/**
 * Paints the worklist from the cache at once, then asks main to complete it from the systems.
 * While shown, main's `worklist.changed` signal (an admission, a transfer, a result stored for a
 * patient on the list) reads the rows again from the cache, through the same access-checked call.
 */
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
      (error: unknown) => current && setState({ status: 'failed', error, ...(painted ? { list: painted } : {}) }),
    );
    const reread = rereadInTurn(() =>
      api.listWorklist({ from: 'cache' }).then((list) => {
        if (current) setState((s) => withList(s, list));
      }),
    );
    const off = api.onEvent((event) => {
      if (event.type === 'worklist.changed') reread();
    });
    return () => {
      current = false;
      off();
    };
  }, [api]);
  return state;
}
