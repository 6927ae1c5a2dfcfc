export { ImagingPanel, type ImagingPanelProps } from './ImagingPanel.tsx';
export { imagingStudyRefs, priorStudies, type ImagingStudyRef } from './imaging-study-refs.ts';
