export {
  createFhirAdapter,
  RECORD_INCLUDES,
  RECORD_TYPES,
  type FhirAdapterOptions,
  type FhirSourceAdapter,
  type ReadOptions,
  type ReadResult,
  type RecordType,
} from './fhir-adapter.ts';
export type { ResponseInfo } from './fhir-http.ts';
