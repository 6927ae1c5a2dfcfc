import { useCallback, useRef, useState } from 'react';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { useApi } from '../../api/api-context.tsx';
import { useSourceRegistry } from '../sources/sources-context.tsx';

export type SearchState =
  | { status: 'idle' }
  | { status: 'searching'; query: string }
  | { status: 'done'; query: string; candidates: readonly PatientCandidate[] }
  | { status: 'failed'; query: string; error: unknown };

/** Runs searchPatients; a newer search wins over an older one still in flight. */
export function usePatientSearch() {
  const api = useApi();
  const registry = useSourceRegistry();
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const seq = useRef(0);

  const search = useCallback(
    (raw: string, onDone?: (candidates: readonly PatientCandidate[]) => void) => {
      const query = raw.trim();
      if (!query) return;
      const mine = ++seq.current;
      setState({ status: 'searching', query });
      api.searchPatients({ query }).then(
        (res) => {
          registry.merge(res.sources);
          if (mine !== seq.current) return;
          setState({ status: 'done', query, candidates: res.candidates });
          onDone?.(res.candidates);
        },
        (error: unknown) => {
          if (mine === seq.current) setState({ status: 'failed', query, error });
        },
      );
    },
    [api, registry],
  );

  return { state, search };
}
