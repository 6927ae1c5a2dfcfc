import { lazy, Suspense, useEffect, useState } from 'react';
import { requestStudyEarly } from './early-requests.ts';
import { imagingLabel } from './imaging-words.ts';
import type { ImagingPanelProps } from './ImagingPanel.tsx';
import { useViewerSettings } from './use-viewer-settings.ts';
import { loadViewerChunk, loadedViewerChunk } from './viewer-preload.ts';

// Cornerstone3D, its codecs and workers are megabytes: not in the app shell's bundle; loaded
// when the browser is idle after sign-in (viewer-preload.ts), or when the imaging tab opens first.
const Panel = lazy(() => loadViewerChunk().then((m) => ({ default: m.ImagingPanel })));

export function LazyImagingPanel(props: ImagingPanelProps) {
  const { studies, initialStudyUid } = props;
  // The first requests leave now, while the viewer's code loads (the study the panel will select first).
  useEffect(() => {
    const study = studies.find((s) => s.studyUid === initialStudyUid) ?? studies[0];
    if (study) requestStudyEarly(study.sourceId, study.studyUid, study.firstSeriesUid);
  }, [studies, initialStudyUid]);
  // The configured layouts decide what opening a study shows: wait for them (one small request, asked once).
  const settings = useViewerSettings();
  // Chosen once per mount: switching from the lazy path to the loaded one would mount the panel again.
  const [Loaded] = useState(() => loadedViewerChunk()?.ImagingPanel);
  const fallback = (
    <div data-testid="imaging-panel" data-state="loading">
      {imagingLabel(props.locale, 'loading')}
    </div>
  );
  if (!settings) return fallback;
  const layouts = settings.defaultLayouts && !props.defaultLayouts ? { defaultLayouts: settings.defaultLayouts } : {};
  if (Loaded) return <Loaded {...props} {...layouts} />;
  return (
    <Suspense fallback={fallback}>
      <Panel {...props} {...layouts} />
    </Suspense>
  );
}
