/**
 * Whether a record says the thing is current or over, in two words every system's codes fold
 * into: two systems disagree clinically only when one says "active" and the other "inactive"
 * (an order "stopped" vs a statement "completed" agree). Main reconciles with it; the renderer
 * sorts the safety summary with it.
 */
export type StatusClass = 'active' | 'inactive';

/** Condition and AllergyIntolerance clinicalStatus codes. */
export const CLINICAL_STATUS_CLASS: Readonly<Record<string, StatusClass>> = {
  active: 'active',
  recurrence: 'active',
  relapse: 'active',
  inactive: 'inactive',
  remission: 'inactive',
  resolved: 'inactive',
};

/** MedicationRequest / MedicationStatement status codes. */
export const MEDICATION_STATUS_CLASS: Readonly<Record<string, StatusClass>> = {
  active: 'active',
  'on-hold': 'active',
  intended: 'active',
  completed: 'inactive',
  stopped: 'inactive',
  cancelled: 'inactive',
  'not-taken': 'inactive',
};
