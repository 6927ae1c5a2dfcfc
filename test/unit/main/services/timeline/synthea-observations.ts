import type { Observation } from '@medplum/fhirtypes';

/** Synthea's blood pressure panel: no value of its own, two components in mm[Hg]. */
export const SYNTHEA_BLOOD_PRESSURE: Observation = {
  resourceType: 'Observation',
  id: 'bp1',
  status: 'final',
  category: [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'vital-signs' }] },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood Pressure' }], text: 'Blood Pressure' },
  effectiveDateTime: '2024-05-02T08:00:00+08:00',
  component: [
    {
      code: {
        coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic Blood Pressure' }],
        text: 'Diastolic Blood Pressure',
      },
      valueQuantity: { value: 82, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: {
        coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic Blood Pressure' }],
        text: 'Systolic Blood Pressure',
      },
      valueQuantity: { value: 141, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      interpretation: [{ coding: [{ code: 'H' }] }],
    },
  ],
};
