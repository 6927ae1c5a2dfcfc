import { expect, test } from '@playwright/test';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { openAppAs, openFromSearch, showTimeline, watchConsole } from './support.ts';

const LOINC = 'http://loinc.org';

/** Synthea writes blood pressure as one Observation with two components and no value of its own. */
const bloodPressure = {
  resourceType: 'Observation',
  id: 'e2e-bp-0001',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood Pressure' }], text: 'Blood Pressure' },
  subject: { reference: `Patient/${DEMO_PATIENT.fhirId}` },
  // Long before the seeded record, so no other spec's first screen changes.
  effectiveDateTime: '2019-06-01T09:00:00+08:00',
  component: [
    {
      code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic Blood Pressure' }] },
      valueQuantity: { value: 82, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic Blood Pressure' }] },
      valueQuantity: { value: 141, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ],
};

test('FHIR values: a blood pressure with components reads 收缩压/舒张压 on the timeline', async ({ page }) => {
  const fhir = process.env.HUIZHEN_E2E_FHIR;
  if (!fhir) throw new Error('HUIZHEN_E2E_FHIR is set by global-setup');
  const url = `${fhir}/Observation/${bloodPressure.id}`;
  const put = await page.request.put(url, { data: JSON.stringify(bloodPressure), headers: { 'content-type': 'application/fhir+json' } });
  expect(put.ok(), await put.text()).toBe(true);
  try {
    const problems = watchConsole(page);
    await openAppAs(page);
    await openFromSearch(page, DEMO_PATIENT.mrn);
    await showTimeline(page);
    await page.getByTestId('timeline-text-filter').fill('Blood Pressure');
    const row = page.locator('[data-testid="timeline-entry"]', { hasText: 'Blood Pressure' }).first();
    await expect(row.getByTestId('timeline-entry-value')).toHaveText('收缩压/舒张压 141/82 mmHg');
    expect(problems).toEqual([]);
  } finally {
    await page.request.delete(url);
  }
});
