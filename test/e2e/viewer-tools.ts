import { expect, type Locator, type Page } from '@playwright/test';

/**
 * A viewer control that may sit behind "More" (the measurements, invert, reset, cine): opens the
 * list when the control is not on the row, as a reader would, and gives the control back.
 */
export async function viewerControl(page: Page, testId: string): Promise<Locator> {
  const control = page.getByTestId(testId);
  if (!(await control.isVisible())) await page.getByTestId('imaging-more').click();
  await expect(control).toBeVisible();
  return control;
}
