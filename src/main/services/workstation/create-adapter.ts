import type { SourceAdapter } from '../../../adapters/source-adapter.ts';
import { createDicomwebAdapter } from '../../../adapters/dicomweb/index.ts';
import { createFhirAdapter } from '../../../adapters/fhir/fhir-adapter.ts';
import type { SourceConfig } from '../../../shared/config/schema.ts';

/** The one place that knows which adapter speaks which configured protocol. */
export function createAdapter(config: SourceConfig): SourceAdapter {
  switch (config.kind) {
    case 'fhir':
      return createFhirAdapter(config);
    case 'dicomweb':
      return createDicomwebAdapter(config);
  }
}
