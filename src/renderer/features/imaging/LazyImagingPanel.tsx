import { lazy, Suspense, useEffect } from 'react';
import { requestStudyEarly } from './early-requests.ts';
import { imagingLabel } from './imaging-words.ts';
import type { ImagingPanelProps } from './ImagingPanel.tsx';

// Cornerstone3D, its codecs and workers are megabytes: loaded when the imaging tab first opens,
// not with the app shell.
const Panel = lazy(() => import('./ImagingPanel.tsx').then((m) => ({ default: m.ImagingPanel })));

export function LazyImagingPanel(props: ImagingPanelProps) {
  const { studies, initialStudyUid } = props;
  // The first requests leave now, while the viewer's code loads (the study the panel will select first).
  useEffect(() => {
    const study = studies.find((s) => s.studyUid === initialStudyUid) ?? studies[0];
    if (study) requestStudyEarly(study.sourceId, study.studyUid);
  }, [studies, initialStudyUid]);
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
