/**
 * The imaging feature's public face. ImagingPanel is lazy (Cornerstone loads when the browser is
 * idle after sign-in, preloadViewer, or with the first imaging tab); imagingStudyRefs derives its `studies` prop from the timeline.
 */
export { LazyImagingPanel as ImagingPanel } from './LazyImagingPanel.tsx';
export { preloadViewer } from './viewer-preload.ts';
export type { ImagingPanelProps } from './ImagingPanel.tsx';
export { imagingStudyRefs, priorStudies, type ImagingStudyRef } from './imaging-study-refs.ts';
export { studyReports, type LinkedReport } from './imaging-report-refs.ts';
export { studyOrders } from './imaging-order-refs.ts';
export { WithheldReportsProvider } from './report-access.tsx';
