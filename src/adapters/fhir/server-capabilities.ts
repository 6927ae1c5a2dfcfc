/** What a FHIR server says it can do (from its CapabilityStatement), as far as the adapter cares. */
import type { CapabilityStatement } from '@medplum/fhirtypes';

export interface ServerCapabilities {
  fhirVersion?: string;
  software?: string;
  /** Patient/$everything is offered. */
  everything: boolean;
  /** Resource types with search support; undefined when the server did not say. */
  searchableTypes?: ReadonlySet<string>;
  /** `_include` values each type's search accepts (CapabilityStatement.rest.resource.searchInclude). */
  searchIncludes?: ReadonlyMap<string, ReadonlySet<string>>;
}

function isEverything(op: { name?: string; definition?: string }): boolean {
  return op.name === 'everything' || op.name === '$everything' || /Patient-everything$/.test(op.definition ?? '');
}

export function readCapabilities(statement: CapabilityStatement): ServerCapabilities {
  const rest = (statement.rest ?? []).filter((r) => r.mode !== 'client');
  const resources = rest.flatMap((r) => r.resource ?? []);
  const patient = resources.find((r) => r.type === 'Patient');
  const everything = (patient?.operation ?? []).some(isEverything) || rest.some((r) => (r.operation ?? []).some(isEverything));
  const searchable = resources
    .filter((r) => !r.interaction || r.interaction.some((i) => i.code === 'search-type'))
    .map((r) => r.type as string);
  const includes = new Map<string, ReadonlySet<string>>();
  for (const r of resources) if (r.type && r.searchInclude?.length) includes.set(r.type, new Set(r.searchInclude));
  const software = statement.software?.name ? [statement.software.name, statement.software.version].filter(Boolean).join(' ') : undefined;
  return {
    ...(statement.fhirVersion ? { fhirVersion: statement.fhirVersion } : {}),
    ...(software ? { software } : {}),
    everything,
    ...(resources.length > 0 ? { searchableTypes: new Set(searchable) } : {}),
    ...(includes.size > 0 ? { searchIncludes: includes } : {}),
  };
}

/** "FHIR 4.0.1 (HAPI FHIR Server 7.2)", as ProbeResult.protocolVersion documents. */
export function describeVersion(caps: ServerCapabilities): string {
  return `FHIR ${caps.fhirVersion ?? 'unknown version'}${caps.software ? ` (${caps.software})` : ''}`;
}
