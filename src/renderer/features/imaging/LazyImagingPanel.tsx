import { lazy, Suspense } from 'react';
import { imagingLabel } from './imaging-words.ts';
import type { ImagingPanelProps } from './ImagingPanel.tsx';
import { useViewerSettings } from './use-viewer-settings.ts';

// Cornerstone3D, its codecs and workers are megabytes: loaded when the imaging tab first opens,
// not with the app shell.
const Panel = lazy(() => import('./ImagingPanel.tsx').then((m) => ({ default: m.ImagingPanel })));

export function LazyImagingPanel(props: ImagingPanelProps) {
  // The configured layouts decide what opening a study shows: wait for them (one small request, asked once).
  const settings = useViewerSettings();
  const fallback = (
    <div data-testid="imaging-panel" data-state="loading">
      {imagingLabel(props.locale, 'loading')}
    </div>
  );
  if (!settings) return fallback;
  return (
    <Suspense fallback={fallback}>
      <Panel {...props} {...(settings.defaultLayouts && !props.defaultLayouts ? { defaultLayouts: settings.defaultLayouts } : {})} />
    </Suspense>
  );
}
