import { readFileSync } from 'node:fs';
import type { Condition, MedicationRequest, MedicationStatement, Observation, Resource } from '@medplum/fhirtypes';
import { convertCdaDocument, type CdaConversion } from '../../../../../src/adapters/cda/index.ts';

/** The synthetic WS/T 500-style documents in test/fixtures/cda/wst500. */
export function convertFixture(name: string): CdaConversion {
  return convertCdaDocument(readFileSync(new URL(`../../../../fixtures/cda/wst500/${name}`, import.meta.url)));
}

function ofType<T extends Resource>(c: CdaConversion, type: T['resourceType']): T[] {
  return c.clinical.map((x) => x.resource).filter((r): r is T => r.resourceType === type);
}

export const conditions = (c: CdaConversion): Condition[] => ofType<Condition>(c, 'Condition');
export const observations = (c: CdaConversion): Observation[] => ofType<Observation>(c, 'Observation');
export const requests = (c: CdaConversion): MedicationRequest[] => ofType<MedicationRequest>(c, 'MedicationRequest');
export const statements = (c: CdaConversion): MedicationStatement[] => ofType<MedicationStatement>(c, 'MedicationStatement');

/** A diagnosis as a doctor reads it: text, code, roles. */
export function diagnosis(c: Condition): { text?: string; code?: string; system?: string; roles: string[]; date?: string } {
  const coding = c.code?.coding?.[0];
  return {
    ...(c.code?.text ? { text: c.code.text } : {}),
    ...(coding?.code ? { code: coding.code } : {}),
    ...(coding?.system ? { system: coding.system } : {}),
    roles: (c.category ?? []).slice(1).map((cat) => cat.coding?.[0]?.code ?? ''),
    ...(c.recordedDate ? { date: c.recordedDate } : {}),
  };
}

/** Every text a resource carries, to assert that an administrative label became no resource. */
export function textsOf(c: CdaConversion): string {
  return JSON.stringify(c.clinical.map((x) => x.resource));
}
