/** The server's CapabilityStatement: what a client may ask it (types, search params, $everything). */
import { getSearchParameters } from '@medplum/core';
import type { CapabilityStatement, CapabilityStatementRestResource, ResourceType } from '@medplum/fhirtypes';
import { SERVED_TYPES } from './served-types.ts';

export interface CapabilityOptions {
  baseUrl: string;
  softwareName: string;
  softwareVersion: string;
  offerEverything: boolean;
  /** Announce SMART Backend Services (the token endpoint) in rest.security. */
  smartTokenUrl?: string;
}

export const EVERYTHING_DEFINITION = 'http://hl7.org/fhir/OperationDefinition/Patient-everything';

/** Result parameters every type accepts, beside its own search parameters. */
const COMMON_PARAMS = [
  { name: '_id', type: 'token' },
  { name: '_lastUpdated', type: 'date' },
  { name: '_count', type: 'number' },
  { name: '_offset', type: 'number' },
  { name: '_sort', type: 'string' },
] as const;

function restResource(type: ResourceType, offerEverything: boolean): CapabilityStatementRestResource {
  const defined = Object.values(getSearchParameters(type) ?? {});
  const own = defined
    .filter((p) => p.code && p.type)
    .map((p) => ({ name: p.code as string, type: p.type as 'string', definition: p.url }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    type,
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    versioning: 'versioned',
    readHistory: false,
    searchParam: [...COMMON_PARAMS.map((p) => ({ ...p })), ...own],
    // PagedMemoryRepository resolves _include for every reference parameter of the type.
    searchInclude: defined
      .filter((p) => p.type === 'reference' && p.code)
      .map((p) => `${type}:${p.code as string}`)
      .sort(),
    ...(type === 'Patient' && offerEverything ? { operation: [{ name: 'everything', definition: EVERYTHING_DEFINITION }] } : {}),
  };
}

export function buildCapabilityStatement(options: CapabilityOptions): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2025-06-30',
    kind: 'instance',
    software: { name: options.softwareName, version: options.softwareVersion },
    implementation: { description: '汇诊示范医院 CDR (synthetic data)', url: options.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        resource: SERVED_TYPES.map((t) => restResource(t, options.offerEverything)),
        ...(options.smartTokenUrl
          ? {
              security: {
                service: [
                  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] },
                ],
                extension: [
                  {
                    url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                    extension: [{ url: 'token', valueUri: options.smartTokenUrl }],
                  },
                ],
              },
            }
          : {}),
        ...(options.offerEverything ? { operation: [{ name: 'everything', definition: EVERYTHING_DEFINITION }] } : {}),
      },
    ],
  };
}
