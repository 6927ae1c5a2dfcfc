import { expect, test } from '@playwright/test';
import { CDR_MRN_SYSTEM } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { openAppAs, screenshot, watchConsole } from './support.ts';

/** More 王 than a search lists at once (20), written to the CDR for this spec and removed after. */
const GIVEN = [
  ['芳', 'Fang'],
  ['伟', 'Wei'],
  ['娜', 'Na'],
  ['敏', 'Min'],
  ['静', 'Jing'],
  ['丽', 'Li'],
  ['强', 'Qiang'],
  ['磊', 'Lei'],
  ['军', 'Jun'],
  ['勇', 'Yong'],
  ['艳', 'Yan'],
  ['杰', 'Jie'],
  ['娟', 'Juan'],
  ['涛', 'Tao'],
  ['明', 'Ming'],
  ['超', 'Chao'],
  ['秀英', 'Xiuying'],
  ['霞', 'Xia'],
  ['平', 'Ping'],
  ['刚', 'Gang'],
  ['桂英', 'Guiying'],
  ['建华', 'Jianhua'],
] as const;
const wangs = GIVEN.map(([hanzi, pinyin], i) => ({
  resourceType: 'Patient',
  id: `e2e-wang-${String(i + 1).padStart(2, '0')}`,
  identifier: [{ system: CDR_MRN_SYSTEM, value: `CDR-E2E-W${String(i + 1).padStart(2, '0')}` }],
  name: [
    { use: 'official', text: `王${hanzi}`, family: '王', given: [hanzi] },
    { use: 'official', text: `Wang ${pinyin}`, family: 'Wang', given: [pinyin] },
  ],
  gender: i % 2 === 0 ? 'female' : 'male',
  birthDate: `19${50 + i}-0${(i % 9) + 1}-1${i % 10}`,
}));

function fhirBase(): string {
  const fhir = process.env.HUIZHEN_E2E_FHIR;
  if (!fhir) throw new Error('HUIZHEN_E2E_FHIR is set by global-setup');
  return fhir;
}

/** 王 the CDR already holds (the demo's ward census has a few), by family name as each query is written. */
const alreadyThere = new Map<string, number>();

test.beforeAll(async ({ request }) => {
  for (const [query, family] of [
    ['王', '王'],
    ['wang', 'Wang'],
  ] as const) {
    const found = await request.get(`${fhirBase()}/Patient?${new URLSearchParams({ family, _count: '500' })}`);
    expect(found.ok(), await found.text()).toBe(true);
    alreadyThere.set(query, (((await found.json()) as { entry?: unknown[] }).entry ?? []).length);
  }
  for (const patient of wangs) {
    const put = await request.put(`${fhirBase()}/Patient/${patient.id}`, {
      data: JSON.stringify(patient),
      headers: { 'content-type': 'application/fhir+json' },
    });
    expect(put.ok(), await put.text()).toBe(true);
  }
});
test.afterAll(async ({ request }) => {
  for (const patient of wangs) await request.delete(`${fhirBase()}/Patient/${patient.id}`);
});

for (const query of ['王', 'wang']) {
  test(`a surname alone ("${query}") lists the first 20 matching patients and offers the rest`, async ({ page }) => {
    const problems = watchConsole(page);
    await openAppAs(page);
    await page.getByTestId('patient-search-input').fill(query);
    await page.getByTestId('patient-search-input').press('Enter');
    const rows = page.getByTestId('patient-result');
    const more = page.getByTestId('patient-search-more');
    await expect(more).toBeVisible();
    await expect(rows).toHaveCount(20);
    await expect(page.getByTestId('patient-search-status')).toHaveText('显示前 20 位匹配的患者');
    await expect(rows.first()).toContainText('王');
    await screenshot(page, `search-surname-${query === '王' ? 'hanzi' : 'pinyin'}-1-capped`);
    await more.click();
    const all = wangs.length + (alreadyThere.get(query) ?? 0);
    await expect(rows).toHaveCount(all);
    await expect(more).toHaveCount(0);
    await expect(page.getByTestId('patient-search-status')).toHaveText(`找到 ${all} 位患者`);
    await screenshot(page, `search-surname-${query === '王' ? 'hanzi' : 'pinyin'}-2-all`);
    expect(problems).toEqual([]);
  });
}
