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
      out.push({
        code: 'invalid-identifier',
        severity: 'error',
        sourceId,
        resourceType: 'Patient',
        field: 'Patient.identifier',
        params: { kind: 'resident-id', problem: check.problem },
      });
      continue;
    }
    for (const mismatch of residentIdMismatches(check, { birthDate: item.resource.birthDate, sex: item.resource.gender })) {
      out.push({
        code: 'identifier-mismatch',
        severity: 'warning',
        sourceId,
        resourceType: 'Patient',
        field: mismatch.field === 'sex' ? 'Patient.gender' : 'Patient.birthDate',
        params: { kind: 'resident-id', field: mismatch.field },
      });
    }
  }
  return out;
}
