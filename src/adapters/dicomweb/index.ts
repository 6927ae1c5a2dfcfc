export { createDicomwebAdapter, type DicomwebAdapterOptions } from './dicomweb-adapter.ts';
export { endpointFromConfig, authorizationHeader, type DicomwebEndpoint } from './dicomweb-transport.ts';
export {
  retrieveStudyMetadata,
  retrieveSeriesMetadata,
  retrieveInstanceFrames,
  type SeriesRef,
  type FramesRef,
  type RetrievedFrame,
} from './wado.ts';
export { searchStudies, searchSeries } from './qido.ts';
export { TAG, type DicomJsonDataset } from './dicom-json.ts';
export { studyInstanceUidsOf } from './imaging-study.ts';
