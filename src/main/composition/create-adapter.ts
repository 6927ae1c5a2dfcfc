import type { SourceAdapter } from '../../adapters/source-adapter.ts';
import { createDicomwebAdapter } from '../../adapters/dicomweb/index.ts';
import { createFhirAdapter } from '../../adapters/fhir/fhir-adapter.ts';
import { createHl7v2Adapter } from '../../adapters/hl7v2/index.ts';
import { createHl7v3Adapter } from '../../adapters/hl7v3/index.ts';
import type { SourceConfig } from '../../shared/config/schema.ts';

/** The one place that knows which adapter speaks which configured protocol. */
export function createAdapter(config: SourceConfig): SourceAdapter {
  switch (config.kind) {
    case 'fhir':
      return createFhirAdapter(config);
    case 'hl7v2':
      return createHl7v2Adapter(config);
    case 'hl7v3':
      return createHl7v3Adapter(config);
    case 'dicomweb':
      return createDicomwebAdapter(config);
  }
}
