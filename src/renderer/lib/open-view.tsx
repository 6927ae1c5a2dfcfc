import { createContext, useContext, type ReactNode } from 'react';

/** A request from one view to show something in another (e.g. "this CT, in the viewer"). */
export type OpenViewRequest =
  { view: 'imaging'; studyUid: string } | { view: 'documents'; entryId?: string } | { view: 'timeline'; entryId: string };

const OpenViewContext = createContext<((request: OpenViewRequest) => void) | undefined>(undefined);

/** Provided by the patient's tabs; features ask for another view without knowing the layout. */
export function OpenViewProvider({ open, children }: { open: (request: OpenViewRequest) => void; children: ReactNode }) {
  return <OpenViewContext.Provider value={open}>{children}</OpenViewContext.Provider>;
}

/** Undefined outside a patient's tabs: callers then offer no cross-view action. */
export function useOpenView(): ((request: OpenViewRequest) => void) | undefined {
  return useContext(OpenViewContext);
}
