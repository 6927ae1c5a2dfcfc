import type { Resource } from '@medplum/fhirtypes';
import { CLINICAL_STATUS_CLASS, MEDICATION_STATUS_CLASS, type StatusClass } from '../../../../shared/domain/status-class.ts';
import type { ReconciledGroup } from './reconcile-keys.ts';

export type { StatusClass };

interface WithStatus {
  status?: string;
  clinicalStatus?: { coding?: { code?: string }[]; text?: string };
}

/** The status code the record itself carries (clinicalStatus for problems and allergies). */
export function statusCode(group: ReconciledGroup, resource: Resource): string | undefined {
  const r = resource as WithStatus;
  if (group === 'medication') return r.status;
  return r.clinicalStatus?.coding?.find((c) => c.code)?.code ?? r.clinicalStatus?.text;
}

export function statusClass(group: ReconciledGroup, code: string | undefined): StatusClass | undefined {
  if (!code) return undefined;
  return (group === 'medication' ? MEDICATION_STATUS_CLASS : CLINICAL_STATUS_CLASS)[code.toLowerCase()];
}
