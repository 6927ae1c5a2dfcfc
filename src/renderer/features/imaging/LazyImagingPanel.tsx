import { lazy, Suspense } from 'react';
import { imagingLabel } from './imaging-words.ts';
import type { ImagingPanelProps } from './ImagingPanel.tsx';

// Cornerstone3D, its codecs and workers are megabytes: loaded when the imaging tab first opens,
// not with the app shell.
const Panel = lazy(() => import('./ImagingPanel.tsx').then((m) => ({ default: m.ImagingPanel })));

export function LazyImagingPanel(props: ImagingPanelProps) {
  return (
    <Suspense
      fallback={
        <div data-testid="imaging-panel" data-state="loading">
          {imagingLabel(props.locale, 'loading')}
        </div>
      }
    >
      <Panel {...props} />
    </Suspense>
  );
}
