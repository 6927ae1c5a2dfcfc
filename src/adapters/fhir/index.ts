export { createFhirAdapter, RECORD_TYPES, type FhirAdapterOptions } from './fhir-adapter.ts';
