import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { frameMllp, MllpDecoder } from '../../src/adapters/hl7v2/mllp-framing.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { serveWorkstation } from '../../src/main/host/serve-workstation.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { startFreezableHospital, type FreezableHospital } from '../support/outage-hospital.ts';
import { OPEN_TIMEOUT, openAppAs, screenshot, watchConsole } from './support.ts';
import { freePort } from '../support/free-port.ts';

/**
 * The ward worklist tells the truth: a demo hospital of its own with a ward census, in a child
 * process this spec freezes (SIGSTOP: connections accepted, nothing answered). 张伟, admitted by
 * the HIS's ADT, carries the penicillin allergy only his CDR record holds; with every system
 * hung, the list is the census kept from the last answer, with its time and the systems named.
 */
const DEADLINE_MS = 4_000;
let hospital: FreezableHospital;
let served: Awaited<ReturnType<typeof serveWorkstation>>;
let inboundPort: number;

/** The HIS admits 张伟 to CARD-1 bed 40 (ADT^A01 to the workstation's MLLP listener); resolves with MSA-1. */
async function admitZhangWei(port: number): Promise<string> {
  const at = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // PV1-3 ward^room^bed, PV1-19 visit number, PV1-44 admission time.
  const pv1 = Array.from({ length: 45 }, () => '');
  Object.assign(pv1, { 0: 'PV1', 1: '1', 2: 'I', 3: 'CARD-1^20^40', 19: 'V-WL-1', 44: at });
  const message = [
    `MSH|^~\\&|HIS|DEMO|HUIZHEN|WS|${at}||ADT^A01^ADT_A01|WL-OUTAGE-1|P|2.5|||||CHN|UNICODE UTF-8`,
    `EVN|A01|${at}`,
    `PID|1||${HIS_DEMO_MRN}^^^HIS^MR~${DEMO_PATIENT.residentId}^^^NHC^NNCHN||${DEMO_PATIENT.familyHanzi}^${DEMO_PATIENT.givenHanzi}||19680312|M`,
    pv1.join('|'),
  ].join('\r');
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  try {
    const decoder = new MllpDecoder();
    const ack = new Promise<Uint8Array>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        const [frame] = decoder.push(chunk);
        if (frame) resolve(frame);
      });
      socket.once('error', reject);
    });
    socket.write(frameMllp(new TextEncoder().encode(message)));
    const text = new TextDecoder().decode(await ack);
    return (
      text
        .split(/\r\n?|\n/)
        .find((s) => s.startsWith('MSA|'))
        ?.split('|')[1] ?? ''
    );
  } finally {
    socket.end();
  }
}

test.describe.configure({ timeout: 300_000 });

/** The workstation's config over the freezable hospital: short deadlines, a cache of its own, perhaps an MLLP listener. */
function workstationConfig(label: string, inbound?: number) {
  const home = mkdtempSync(join(tmpdir(), `huizhen-e2e-${label}-`));
  return parseConfig(
    {
      ...hospital.config,
      sources: hospital.config.sources.map((s) => ({
        ...s,
        resilience: { ...s.resilience, timeoutMs: DEADLINE_MS, searchTimeoutMs: DEADLINE_MS, retries: 0 },
      })),
      cache: { enabled: true, directory: join(home, 'cache'), passphraseEnv: 'HUIZHEN_E2E_WL_OUTAGE_PASSPHRASE' },
      prefetch: { images: false, intervalMinutes: 0 },
      ...(inbound ? { inboundHl7: { enabled: true, port: inbound, sourceId: 'his', patientIdAuthority: 'HIS' } } : {}),
    },
    'demo hospital',
  );
}
const rendererDir = join(import.meta.dirname, '..', '..', 'dist-renderer');

test.beforeAll(async () => {
  hospital = await startFreezableHospital({ pacs: false, wardCensus: true });
  inboundPort = await freePort();
  process.env.HUIZHEN_E2E_WL_OUTAGE_PASSPHRASE = 'e2e worklist outage passphrase';
  served = await serveWorkstation({ config: workstationConfig('worklist-outage', inboundPort), rendererDir });
});
test.afterAll(async () => {
  await served?.close();
  await hospital?.stop();
});

/** The table fits the 1280 px screen: nothing to scroll across to. */
async function fitsAcross(page: Page): Promise<void> {
  const overflow = await page.locator('.wl__scroll').evaluate((box) => box.scrollWidth - box.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('the allergy only the CDR holds flags the row the HIS admitted; with every system hung the list is the kept census, dated, its systems named', async ({
  page,
}) => {
  const problems = watchConsole(page);
  await page.goto(served.host.newLoginUrl());
  await openAppAs(page, 'doctor', served.host.origin);
  const state = page.getByTestId('worklist-state');
  await expect(state).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
  const rows = page.getByTestId('worklist-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(20);

  // The HIS admits 张伟 with no AL1 segment; his penicillin allergy is in the CDR only.
  expect(await admitZhangWei(inboundPort)).toBe('AA');
  const zhang = page.locator(`[data-testid="worklist-row"][data-ref="his/${HIS_DEMO_MRN}"]`);
  await expect(zhang).toBeVisible({ timeout: 30_000 });
  const flag = zhang.getByTestId('worklist-allergy');
  // The arrival prefetch fetches the whole person (the CDR record too); the row is read again when it is kept.
  await expect(flag).toHaveAttribute('data-allergy', 'yes', { timeout: 90_000 });
  await expect(flag).toContainText('有过敏');
  await expect(flag).toHaveAttribute('title', /CDR/);
  await zhang.scrollIntoViewIfNeeded();
  await fitsAcross(page);
  await screenshot(page, 'worklist-allergy-zh-CN');
  await page.getByTestId('language-switch').selectOption('en');
  await expect(flag).toContainText('Allergies');
  await fitsAcross(page);
  await screenshot(page, 'worklist-allergy-en');
  await page.getByTestId('language-switch').selectOption('zh-CN');
  const before = await rows.count();

  hospital.freeze();
  try {
    await page.reload();
    // Painted from the cache at once, then the live listing meets every census source hung.
    await expect(rows).toHaveCount(before, { timeout: OPEN_TIMEOUT });
    const failure = page.getByTestId('worklist-census-failure');
    await expect(failure).toBeVisible({ timeout: OPEN_TIMEOUT });
    await expect(state).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
    await expect(failure).toHaveAttribute('data-stale', 'true');
    await expect(failure).toContainText('此次未能读取 CDR (FHIR R4) 的在院名单');
    await expect(failure).toContainText(/显示的是本机保存的 \d{1,2}:\d{2} 的名单/);
    await expect(page.getByTestId('worklist-empty')).toHaveCount(0);
    await expect(rows).toHaveCount(before);
    // The systems still owed an answer are named as the rest of the screen names them, not by id.
    const pending = zhang.getByTestId('worklist-pending');
    await expect(pending).toHaveAttribute('data-pending', /his/);
    await expect(pending).toContainText('HIS');
    await expect(pending).not.toContainText('his');
    await expect(zhang.getByTestId('worklist-allergy')).toHaveAttribute('data-allergy', 'yes');
    await fitsAcross(page);
    await screenshot(page, 'worklist-outage-zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    await expect(failure).toContainText('The census of CDR (FHIR R4) could not be read now');
    await expect(failure).toContainText(/shown as this workstation kept it at \d{1,2}:\d{2}/);
    await fitsAcross(page);
    await screenshot(page, 'worklist-outage-en');
  } finally {
    hospital.thaw();
  }
  expect(problems).toEqual([]);
});

test('a workstation that never read the census, every system hung: the list says the census could not be read, not "no inpatients"', async ({
  page,
}) => {
  const problems = watchConsole(page);
  hospital.freeze();
  let fresh: Awaited<ReturnType<typeof serveWorkstation>> | undefined;
  try {
    fresh = await serveWorkstation({ config: workstationConfig('worklist-unread'), rendererDir });
    await page.goto(fresh.host.newLoginUrl());
    await openAppAs(page, 'doctor', fresh.host.origin);
    const empty = page.getByTestId('worklist-empty');
    await expect(page.getByTestId('worklist-state')).toHaveAttribute('data-live', 'done', { timeout: OPEN_TIMEOUT });
    await expect(empty).toHaveAttribute('data-state', 'unread');
    await expect(empty).toContainText('病区在院名单无法读取：CDR (FHIR R4) 未应答');
    await expect(empty).not.toContainText('暂无在院患者');
    await expect(page.getByTestId('worklist-count')).toHaveCount(0);
    await expect(page.getByTestId('worklist-census-failure')).toContainText('未能读取 CDR (FHIR R4) 的在院名单');
    // The census asked the CDR and it kept silent: the status bar says so, never "not asked yet".
    const cdrStatus = page.locator('[data-testid="source-status"][data-source-id="cdr"]');
    await expect(cdrStatus).toHaveAttribute('data-shown', /^(failed|hung)$/, { timeout: OPEN_TIMEOUT });
    await expect(cdrStatus).toContainText(/失败|无应答/);
    await expect(cdrStatus).not.toContainText('尚未查询');
    await screenshot(page, 'worklist-unread-zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    await expect(empty).toContainText('The ward census could not be read: CDR (FHIR R4) did not answer');
    await expect(cdrStatus).toContainText(/Failed|Not answering/);
    await expect(cdrStatus).not.toContainText('Not asked yet');
    await screenshot(page, 'worklist-unread-en');
  } finally {
    hospital.thaw();
    await fresh?.close();
  }
  expect(problems).toEqual([]);
});
