import { createContext, useContext, type ReactNode } from 'react';
import type { HuizhenApi } from '../../shared/api/client.ts';

const ApiContext = createContext<HuizhenApi | null>(null);

/** Features get the API from here and never know which transport is behind it. */
export function ApiProvider({ api, children }: { api: HuizhenApi; children: ReactNode }) {
  return <ApiContext value={api}>{children}</ApiContext>;
}

export function useApi(): HuizhenApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiProvider>');
  return api;
}
