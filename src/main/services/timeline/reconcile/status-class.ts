import type { Resource } from '@medplum/fhirtypes';
import type { ReconciledGroup } from './reconcile-keys.ts';

/**
 * Whether a record says the thing is current or over, in two words every system's codes fold
 * into: two systems disagree clinically only when one says "active" and the other "inactive"
 * (an order "stopped" vs a statement "completed" agree). Undefined: the record does not say.
 */
export type StatusClass = 'active' | 'inactive';

const CLINICAL: Readonly<Record<string, StatusClass>> = {
  active: 'active',
  recurrence: 'active',
  relapse: 'active',
  inactive: 'inactive',
  remission: 'inactive',
  resolved: 'inactive',
};

const MEDICATION: Readonly<Record<string, StatusClass>> = {
  active: 'active',
  'on-hold': 'active',
  intended: 'active',
  completed: 'inactive',
  stopped: 'inactive',
  cancelled: 'inactive',
  'not-taken': 'inactive',
};

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
  return (group === 'medication' ? MEDICATION : CLINICAL)[code.toLowerCase()];
}
