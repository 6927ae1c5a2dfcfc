import type { Identifier } from '@medplum/fhirtypes';
import { IdentifierTypeCodeSchema, type IdentifierTypeCode } from '../../../shared/domain/identifier-types.ts';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Naming systems (WS/T 500 roots) that say more than a v2 type code: 住院号 and 病案号 are both MR in v2. */
const TYPE_OF_SYSTEM: Readonly<Record<string, IdentifierTypeCode>> = {
  'urn:oid:2.16.156.10011.1.3': 'NNCHN',
  'urn:oid:2.16.156.10011.1.11': 'cn-outpatient-no',
  'urn:oid:2.16.156.10011.1.12': 'cn-inpatient-no',
  'urn:oid:2.16.156.10011.1.13': 'cn-medical-record-no',
  'urn:oid:2.16.156.10011.1.19': 'cn-health-card-no',
};

/**
 * The identifier's type as a code the renderer words, or undefined for a type only the source
 * knows (a local code or free text), which is then shown in the source's own words. A coding
 * without a system counts as v2-0203: HL7 v2 feeds send PID-3.5 bare, and so do some FHIR servers.
 */
export function identifierTypeCode(identifier: Identifier): IdentifierTypeCode | undefined {
  const bySystem = identifier.system ? TYPE_OF_SYSTEM[identifier.system] : undefined;
  if (bySystem) return bySystem;
  for (const coding of identifier.type?.coding ?? []) {
    if (coding.system !== undefined && coding.system !== V2_0203) continue;
    const parsed = IdentifierTypeCodeSchema.safeParse(coding.code?.toUpperCase());
    if (parsed.success) return parsed.data;
  }
  return undefined;
}
