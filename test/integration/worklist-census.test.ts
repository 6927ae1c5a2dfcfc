import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD } from '../../src/demo-hospital/identity-provider/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { dispatchApiCall } from '../../src/main/services/api/dispatch.ts';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import { RawMllpSender, field } from '../support/inbound-hl7-harness.ts';
import { freePort } from '../support/free-port.ts';

/**
 * The ward census from HL7 v2 ADT pushed over real MLLP into the workstation's inbound
 * listener, read back through the secured API as the demo staff: the ward doctor (CARD-1,
 * attending D1001) and the nurse (CARD-1).
 */
let hospital: DemoHospital;
let composed: ComposedWorkstation;
let inboundPort = 0;
let cacheDir = '';

const now = new Date();
const ts = (ms: number) => {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}00+0800`;
};
const admitted = ts(now.getTime() - 2 * 86_400_000);

function fields(name: string, values: Record<number, string>, length: number): string {
  const out = Array.from({ length: length + 1 }, (_, i) => values[i] ?? '');
  out[0] = name;
  return out.join('|');
}

let control = 0;
function adt(trigger: string, p: { mrn: string; name: string; ward: string; bed: string; attending: string }): string {
  control += 1;
  return [
    `MSH|^~\\&|HIS|HOSP|HUIZHEN|WARD|${ts(now.getTime())}||ADT^${trigger}^ADT_A01|ADT-${control}|P|2.5|||||CHN|UNICODE UTF-8`,
    `EVN|${trigger}|${ts(now.getTime())}`,
    `PID|1||${p.mrn}^^^HIS^MR||${p.name}||19600101|F`,
    fields('PV1', { 1: '1', 2: 'I', 3: `${p.ward}^01^${p.bed}`, 7: p.attending, 19: `V-${p.mrn}`, 44: admitted }, 45),
    'DG1|1||J18.9^肺炎^ICD10||20261201|A',
  ].join('\r');
}

function oru(mrn: string, flag: string): string {
  control += 1;
  return [
    `MSH|^~\\&|HIS|HOSP|HUIZHEN|WARD|${ts(now.getTime())}||ORU^R01^ORU_R01|ORU-${control}|P|2.5|||||CHN|UNICODE UTF-8`,
    `PID|1||${mrn}^^^HIS^MR||测试^一||19600101|F`,
    'OBR|1|P1|F1|2823-3^Potassium^LN|||' + ts(now.getTime()),
    `OBX|1|NM|2823-3^Potassium^LN||6.9|mmol/L|3.5-5.3|${flag}|||F|||${ts(now.getTime())}`,
  ].join('\r');
}

const onCardiology = { mrn: 'W0001', name: '测试^一', ward: 'CARD-1', bed: '03', attending: 'D9001^王^医生' };
const attendedElsewhere = { mrn: 'W0002', name: '测试^二', ward: 'RESP-2', bed: '11', attending: 'D1001^李^医生' };
const otherWard = { mrn: 'W0003', name: '测试^三', ward: 'RESP-2', bed: '12', attending: 'D9002^赵^医生' };
const cancelled = { mrn: 'W0004', name: '测试^四', ward: 'CARD-1', bed: '05', attending: 'D9001^王^医生' };
const transferredOut = { mrn: 'W0005', name: '测试^五', ward: 'CARD-1', bed: '07', attending: 'D9001^王^医生' };

async function push(...messages: string[]): Promise<void> {
  const sender = await RawMllpSender.connect(inboundPort);
  try {
    for (const message of messages) expect(field(await sender.exchange(message), 'MSA', 1)).toBe('AA');
  } finally {
    sender.close();
  }
}

async function compose(): Promise<ComposedWorkstation> {
  const config = parseConfig({
    ...hospital.config,
    cache: { directory: cacheDir },
    inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his' },
  });
  return composeWorkstation(config, { protector: () => createPassphraseKeyProtector('worklist test passphrase', { log2Cost: 12 }) });
}

beforeAll(async () => {
  hospital = await startDemoHospital();
  inboundPort = await freePort();
  cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-worklist-'));
  composed = await compose();
  await push(
    adt('A01', onCardiology),
    adt('A01', attendedElsewhere),
    adt('A01', otherWard),
    adt('A01', cancelled),
    adt('A11', cancelled),
    adt('A01', transferredOut),
    adt('A02', { ...transferredOut, ward: 'RESP-2', bed: '20' }),
    oru(onCardiology.mrn, 'HH'),
  );
}, 120_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital?.stop();
});

describe('the ward census from HL7 v2 ADT pushes over MLLP', () => {
  it("lists the ward doctor's ward and the patients they attend elsewhere, never another ward's, cancelled or transferred-out patients", async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const { rows, from } = await api.handlers.listWorklist({ from: 'cache' });
    expect(from).toBe('cache');
    expect(rows.map((r) => r.openQuery)).toEqual([onCardiology.mrn, attendedElsewhere.mrn]);
    const [card, mine] = rows;
    expect(card).toMatchObject({
      ward: 'CARD-1',
      bed: '03',
      name: '测试一',
      sex: 'female',
      basis: 'ward',
      mine: false,
      diagnosis: '肺炎',
      admissionDay: 3,
      status: 'admitted',
    });
    expect(card!.newResults).toEqual({ count: 1, abnormal: 1, critical: 1 });
    expect(mine).toMatchObject({ ward: 'RESP-2', basis: 'treating', mine: true, attending: '李医生' });
    // Privacy mode masks names on the list as it does in search results.
    await api.handlers.setPrivacyMode({ enabled: true });
    const masked = (await api.handlers.listWorklist({ from: 'cache' })).rows[0]!;
    expect(masked.name).not.toBe('测试一');
    expect(masked.name).toContain('测');
    await api.handlers.setPrivacyMode({ enabled: false });
    // Each listing is on the audit trail, like a search.
    const { records } = await composed.audit.log!.recordsAfter(0, 100_000);
    expect(
      records.some(
        (r) =>
          r.event.action === 'patient-search' &&
          r.event.entity?.type === 'worklist' &&
          r.event.entity.detail === 'wards=CARD-1; from=cache',
      ),
    ).toBe(true);
    await api.handlers.signOut({});
  });

  it('the nurse on CARD-1 sees only CARD-1', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'nurse', password: DEMO_PASSWORD });
    const { rows } = await api.handlers.listWorklist({ from: 'cache' });
    expect(rows.map((r) => r.openQuery)).toEqual([onCardiology.mrn]);
    await api.handlers.signOut({});
  });

  it('the critical badge counts the critical values nobody has acknowledged (clinical alerts): once the doctor acknowledges, the nurse sees none', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'nurse', password: DEMO_PASSWORD });
    expect((await api.handlers.listWorklist({ from: 'cache' })).rows[0]!.newResults).toEqual({ count: 1, abnormal: 1, critical: 1 });
    await api.handlers.signOut({});
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const row = (await api.handlers.listWorklist({ from: 'cache' })).rows[0]!;
    const opened = await api.handlers.openPatient({ refs: row.refs });
    // Sent again while the patient is open (the same order, so the same record), it reaches the open timeline from the cache.
    await push(oru(onCardiology.mrn, 'HH'));
    const critical = await vi.waitFor(
      async () => {
        const { critical: found } = await api.handlers.patientAlerts({ viewId: opened.viewId });
        expect(found.length).toBeGreaterThan(0);
        return found;
      },
      { timeout: 30_000, interval: 100 },
    );
    for (const value of critical) await api.handlers.acknowledgeCriticalValue({ viewId: opened.viewId, entryId: value.entryId });
    await api.handlers.closePatient({ viewId: opened.viewId });
    await api.handlers.signOut({});
    await api.handlers.signInLocal({ username: 'nurse', password: DEMO_PASSWORD });
    // Still new to her (she has not looked), no longer critical on anyone's list.
    expect((await api.handlers.listWorklist({ from: 'cache' })).rows[0]!.newResults).toEqual({ count: 1, abnormal: 1, critical: 0 });
    await api.handlers.signOut({});
  });

  it('composed calls cannot ask for another ward, and roles without patient access get none', async () => {
    const api = composed.api;
    expect(await dispatchApiCall(api.handlers, 'listWorklist', { from: 'cache' })).toMatchObject({ ok: false, status: 401 });
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    expect(await dispatchApiCall(api.handlers, 'listWorklist', { from: 'cache', ward: 'RESP-2' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(await dispatchApiCall(api.handlers, 'listWorklist', { from: 'cache', wards: ['RESP-2'] })).toMatchObject({
      ok: false,
      status: 400,
    });
    await api.handlers.signOut({});
    await api.handlers.signInLocal({ username: 'admin', password: DEMO_PASSWORD });
    expect(await dispatchApiCall(api.handlers, 'listWorklist', { from: 'cache' })).toMatchObject({ ok: false, status: 403 });
    await api.handlers.signOut({});
  });

  it('opening the patient marks their results seen; a new result counts again; both survive a restart (kept encrypted in the cache)', async () => {
    let api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const row = (await api.handlers.listWorklist({ from: 'cache' })).rows[0]!;
    const opened = await api.handlers.openPatient({ refs: row.refs });
    expect(opened.access.basis).toBe('ward');
    await api.handlers.closePatient({ viewId: opened.viewId });
    const after = (await api.handlers.listWorklist({ from: 'cache' })).rows[0]!;
    expect(after.newResults.count).toBe(0);
    expect(after.lastViewedAt).toBeDefined();
    // Issued a minute later than the look (the clocks of HIS and workstation are not the same clock).
    // K 4.2 (normal): a 6.9 is critical by the configured limits whatever the source flagged.
    await push(
      oru(onCardiology.mrn, 'N')
        .replaceAll(ts(now.getTime()), ts(Date.now() + 60_000))
        .replace('|6.9|', '|4.2|'),
    );
    expect((await api.handlers.listWorklist({ from: 'cache' })).rows[0]!.newResults).toEqual({ count: 1, abnormal: 0, critical: 0 });
    await api.handlers.signOut({});

    await composed.workstation.close();
    composed = await compose();
    api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const restarted = await api.handlers.listWorklist({ from: 'cache' });
    expect(restarted.rows.map((r) => r.openQuery)).toEqual([onCardiology.mrn, attendedElsewhere.mrn]);
    expect(restarted.rows[0]!.newResults.count).toBe(1);
    await api.handlers.signOut({});
  });
  it('pushed results and admissions signal the signed-in ward doctor (coalesced, no patient named); a result outside its range counts abnormal unflagged', async () => {
    const api = composed.api;
    await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
    const before = (await api.handlers.listWorklist({ from: 'cache' })).rows[0]!.newResults;
    const signals: ApiEvent[] = [];
    const off = api.subscribe((event) => event.type === 'worklist.changed' && signals.push(event));
    try {
      // K 5.9 flagged N by the source: outside its reported range 3.5-5.3, so abnormal; below the 6.2 critical limit.
      const later = ts(Date.now() + 60_000);
      const burst = Array.from({ length: 20 }, (_, i) =>
        oru(onCardiology.mrn, 'N')
          .replaceAll(ts(now.getTime()), later)
          .replace('|P1|F1|', `|LIVE${i}|LIVEF${i}|`)
          .replace('|6.9|', '|5.9|'),
      );
      await push(...burst);
      await vi.waitFor(() => expect(signals.length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
      expect(signals.length).toBeLessThan(burst.length);
      expect(signals.every((s) => JSON.stringify(s) === JSON.stringify({ type: 'worklist.changed', reasons: ['results'] }))).toBe(true);
      await vi.waitFor(
        async () =>
          expect((await api.handlers.listWorklist({ from: 'cache' })).rows[0]!.newResults).toEqual({
            count: before.count + 20,
            abnormal: before.abnormal + 20,
            critical: before.critical,
          }),
        { timeout: 10_000, interval: 50 },
      );
      // A result of someone on no list is no change to anyone's list (once the burst's last signal is in).
      await new Promise((resolve) => setTimeout(resolve, 600));
      const quiet = signals.length;
      await push(oru('W9999', 'N'));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(signals.length).toBe(quiet);
      // An admission changes the census (its stored record may be told in the same signal).
      await push(adt('A01', { mrn: 'W0006', name: '测试^六', ward: 'CARD-1', bed: '09', attending: 'D9001^王^医生' }));
      await vi.waitFor(
        () => expect(signals.at(-1)).toMatchObject({ type: 'worklist.changed', reasons: expect.arrayContaining(['census']) }),
        {
          timeout: 10_000,
          interval: 20,
        },
      );
      expect((await api.handlers.listWorklist({ from: 'cache' })).rows.map((r) => r.bed)).toContain('09');
      await push(adt('A11', { mrn: 'W0006', name: '测试^六', ward: 'CARD-1', bed: '09', attending: 'D9001^王^医生' }));
    } finally {
      off();
    }
    await api.handlers.signOut({});
    // Signed out: nobody hears of the ward.
    const afterSignOut = signals.length;
    const offAgain = api.subscribe((event) => event.type === 'worklist.changed' && signals.push(event));
    await push(oru(onCardiology.mrn, 'N').replace('|P1|F1|', '|LIVEX|LIVEFX|'));
    await new Promise((resolve) => setTimeout(resolve, 600));
    offAgain();
    expect(signals.length).toBe(afterSignOut);
  });
});
