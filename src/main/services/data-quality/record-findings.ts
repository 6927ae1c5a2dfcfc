import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { QualityFinding } from '../../../shared/domain/quality.ts';
import { checkResidentId, nationalIdValues, residentIdMismatches } from '../identity/index.ts';

/** A patient's 身份证 numbers: a wrong check digit, or a birth date or sex the record contradicts. */
export function patientFindings(item: SourcedResource<Patient>, today: Date): QualityFinding[] {
  const out: QualityFinding[] = [];
  const sourceId = item.provenance.sourceId;
  for (const value of nationalIdValues(item.resource)) {
    const check = checkResidentId(value, today);
    if (!check.valid) {
      out.push({ code: 'invalid-identifier', severity: 'error', sourceId, resourceType: 'Patient', field: 'Patient.identifier', params: { kind: 'resident-id', problem: check.problem } });
      continue;
    }
    for (const mismatch of residentIdMismatches(check, { birthDate: item.resource.birthDate, sex: item.resource.gender })) {
      out.push({ code: 'identifier-mismatch', severity: 'warning', sourceId, resourceType: 'Patient', field: mismatch.field === 'sex' ? 'Patient.gender' : 'Patient.birthDate', params: { kind: 'resident-id', field: mismatch.field } });
    }
  }
  return out;
}

/** The key of each record a source sent more than once under one id (same type, same native id). */
export function duplicateKeys(items: Iterable<SourcedResource>): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { provenance } of items) {
    const key = `${provenance.sourceId}:${provenance.nativeId}`;
    if (seen.has(key)) duplicates.add(key);
    else seen.add(key);
  }
  return duplicates;
}
