import { useCallback, useEffect, useRef, useState } from 'react';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { useApi } from '../../api/api-context.tsx';
import { useSourceRegistry } from '../sources/sources-context.tsx';

export type SearchState =
  | { status: 'idle' }
  /** Candidates so far (the cache's at once, then each system's answer) and the systems still asked. */
  | { status: 'searching'; query: string; candidates: readonly PatientCandidate[]; pending: readonly string[] }
  /** `more`: more patients matched than are listed; asking again with a higher limit shows them. */
  | { status: 'done'; query: string; candidates: readonly PatientCandidate[]; more: boolean }
  | { status: 'failed'; query: string; error: unknown };

/** Every answer of the current search: its candidates so far and the systems it still asks (none once settled). */
export type SearchProgressListener = (candidates: readonly PatientCandidate[], pending: readonly string[]) => void;

/**
 * Runs searchPatients under a searchId of its own, showing its progress events as they come;
 * a newer search wins over an older one still in flight.
 */
export function usePatientSearch(onProgress?: SearchProgressListener) {
  const api = useApi();
  const registry = useSourceRegistry();
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const seq = useRef(0);
  const current = useRef<{ searchId: string; query: string } | undefined>(undefined);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'search.progress' || event.searchId !== current.current?.searchId) return;
        const { query } = current.current;
        setState({ status: 'searching', query, candidates: event.candidates, pending: event.pending });
        onProgress?.(event.candidates, event.pending);
      }),
    [api, onProgress],
  );

  const search = useCallback(
    (raw: string, onDone?: (candidates: readonly PatientCandidate[]) => void, limit?: number) => {
      const query = raw.trim();
      if (!query) return;
      const mine = ++seq.current;
      const searchId = crypto.randomUUID();
      current.current = { searchId, query };
      setState({ status: 'searching', query, candidates: [], pending: [] });
      api.searchPatients({ query, searchId, ...(limit ? { limit } : {}) }).then(
        (res) => {
          registry.merge(res.sources);
          if (mine !== seq.current) return;
          current.current = undefined;
          setState({ status: 'done', query, candidates: res.candidates, more: res.more === true });
          onProgress?.(res.candidates, []);
          onDone?.(res.candidates);
        },
        (error: unknown) => {
          if (mine !== seq.current) return;
          current.current = undefined;
          setState({ status: 'failed', query, error });
          onProgress?.([], []);
        },
      );
    },
    [api, registry, onProgress],
  );

  return { state, search };
}
