// Issue 18, the order beside the images, in the app itself: the radiologist opens 张伟's imaging;
// above the current CT's report the side panel shows the order behind it (why it was asked for,
// who asked, when, and the system that said so); the brain MR, which has no report yet, shows
// its order and 尚无报告; the prior CT shows the order the HIS pushed over MLLP (ORM^O01).
import { expect, test } from '@playwright/test';
import { DEFAULT_SEED } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DEMO_CURRENT_CT, DEMO_PRIOR_CT, demoStudyUid } from '../../src/demo-hospital/synthetic/dicom-uid.ts';
import { DEMO_MR, DEMO_MR_CLINICAL_INFO, DEMO_MR_INDICATION, DEMO_MR_REQUESTER } from '../../src/demo-hospital/synthetic/imaging-orders.ts';
import { DEMO_PRIOR_CT_ORDER_REASON, pushDemoImagingOrders } from '../../src/demo-hospital/his-mllp/his-imaging-orders.ts';
import { waitForImage } from '../support/imaging-canvas.ts';
import { openImagingAs, screenshot, watchConsole } from './support.ts';

const CT_UID = demoStudyUid(DEFAULT_SEED, DEMO_CURRENT_CT.key);
const PRIOR_UID = demoStudyUid(DEFAULT_SEED, DEMO_PRIOR_CT.key);
const MR_UID = demoStudyUid(DEFAULT_SEED, DEMO_MR.key);

test('the radiologist reads each study’s order beside the images, with its source; the MR without a report says 尚无报告', async ({
  page,
}) => {
  const problems = watchConsole(page);
  // The demo HIS pushes the prior CT's order as `npm start` has it do (enhanced mode: CA once stored).
  expect(await pushDemoImagingOrders(Number(process.env.HUIZHEN_E2E_INBOUND_PORT))).toEqual(['CA']);

  const panel = await openImagingAs(page, 'radiologist', CT_UID);
  await waitForImage(page.getByTestId('imaging-viewport'));
  const side = page.getByTestId('imaging-report');
  const order = side.getByTestId('imaging-order');
  await expect(order).toHaveAttribute('data-state', 'linked');
  const ctOrder = order.getByTestId('imaging-order-item');
  await expect(ctOrder).toHaveCount(1);
  await expect(ctOrder.getByTestId('imaging-order-indication')).toContainText('咳嗽 1 周');
  await expect(ctOrder).toHaveAttribute('data-source-ids', 'cdr');
  await expect(ctOrder.getByTestId('imaging-order-source')).toHaveText('CDR (FHIR R4)');
  await expect(ctOrder.getByTestId('imaging-order-match')).toContainText('检查号');
  // The order sits above the report, which is still there.
  await expect(side).toHaveAttribute('data-state', 'linked');
  const [orderBox, reportBox] = await Promise.all([order.boundingBox(), side.getByTestId('imaging-report-item').boundingBox()]);
  expect(orderBox!.y + orderBox!.height).toBeLessThanOrEqual(reportBox!.y + 1);
  await screenshot(page, 'imaging-order-01-ct-order-above-report');

  // The brain MR: ordered, imaged, not reported yet.
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${MR_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-study-uid', MR_UID);
  await expect(side).toHaveAttribute('data-state', 'none');
  const mrOrder = side.getByTestId('imaging-order-item');
  await expect(mrOrder).toHaveCount(1);
  await expect(mrOrder.getByTestId('imaging-order-indication')).toHaveText(`${DEMO_MR_INDICATION}；原发性高血压`);
  await expect(mrOrder.getByTestId('imaging-order-clinical-info')).toHaveText(DEMO_MR_CLINICAL_INFO);
  await expect(mrOrder.getByTestId('imaging-order-requester')).toHaveText(DEMO_MR_REQUESTER);
  await expect(mrOrder.getByTestId('imaging-order-source')).toHaveText('CDR (FHIR R4)');
  await expect(side.getByTestId('imaging-report-none')).toHaveText('尚无报告。');
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await waitForImage(page.getByTestId('imaging-viewport'));
  await screenshot(page, 'imaging-order-02-mr-no-report');

  // The prior CT: the HIS's order (HL7 v2 ORM^O01) above the platform's CDA 检查报告.
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${PRIOR_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-study-uid', PRIOR_UID);
  const hisOrder = side.locator('[data-testid="imaging-order-item"][data-source-ids="his"]');
  await expect(hisOrder).toHaveCount(1, { timeout: 30_000 });
  await expect(hisOrder.getByTestId('imaging-order-indication')).toHaveText(DEMO_PRIOR_CT_ORDER_REASON);
  await expect(hisOrder.getByTestId('imaging-order-source')).toContainText('HIS');
  await expect(hisOrder.getByTestId('imaging-order-source')).toHaveAttribute('title', /ORM\^O01/);
  // The platform's CDA 检查报告 of this study is a document: of documents, a radiologist reads the
  // studies' reports, so it stands below the order — and the notes still withheld are no report of it.
  await expect(side).toHaveAttribute('data-state', 'linked');
  await expect(side.getByTestId('imaging-report-item').first().getByTestId('imaging-report-impression')).not.toHaveText('');
  await expect(side.getByTestId('imaging-report-withheld')).toHaveCount(0);
  // The order's reason once, under the order: the report below does not repeat it.
  await expect(side.getByTestId('imaging-report-item').first()).not.toContainText(DEMO_PRIOR_CT_ORDER_REASON);
  await screenshot(page, 'imaging-order-03-prior-his-order');

  // In English: the panel's words in the other catalog; the order's own words stay as written.
  await page.getByTestId('language-switch').selectOption('en');
  await page.locator(`[data-testid="imaging-study"][data-study-uid="${MR_UID}"]`).click();
  await expect(panel).toHaveAttribute('data-study-uid', MR_UID);
  await expect(order).toContainText('Order');
  await expect(order).toContainText('Ordered by');
  await expect(side.getByTestId('imaging-order-item').getByTestId('imaging-order-indication')).toHaveText(
    `${DEMO_MR_INDICATION}; 原发性高血压`,
  );
  await expect(side.getByTestId('imaging-report-none')).toHaveText('No report yet.');
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await waitForImage(page.getByTestId('imaging-viewport'));
  await screenshot(page, 'imaging-order-04-mr-no-report-en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([]);
});
