// Issue 16: HIS pharmacy orders pushed over real MLLP (RDE^O11) reach the reconciled medication
// list the doctor reads through the workstation's access-checked API: the HIS's metformin order
// joins the CDR's and the EMR's as one line, and a DC from the HIS against an active CDR order is
// a status conflict. The patient is the demo hospital's synthetic 张伟.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src/shared/api/events.ts';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { RawMllpSender, field } from '../support/inbound-hl7-harness.ts';
import { freePort } from '../support/free-port.ts';

let hospital: DemoHospital;
let composed: ComposedWorkstation;
let inboundPort = 0;

/** The HIS pharmacy interface's RDE^O11 for 张伟 (generated; the drug is local-coded as HIS formularies do). */
function rdeO11(o: {
  controlId: string;
  control: string;
  status: string;
  filler: string;
  drug: string;
  dose: string;
  unit: string;
}): string {
  return [
    `MSH|^~\\&|HIS|HOSP|HUIZHEN|WARD3|20261207083000+0800||RDE^O11^RDE_O11|${o.controlId}|P|2.5.1|||||CHN|UNICODE UTF-8`,
    `PID|1||${HIS_DEMO_MRN}^^^HIS^MR||张^伟^^^^^L^I||19650312|M`,
    'PV1|1|I|CARD-1^3^1',
    `ORC|${o.control}|P-${o.filler}^HIS|${o.filler}^PHARM||${o.status}||||20261206090000+0800|||D001^医生^甲`,
    'TQ1|1||BID^每日两次^HL70335',
    `RXE||${o.drug}|${o.dose}||${o.unit}^${o.unit}^UCUM|TAB^片^HL70292`,
    'RXR|PO^口服^HL70162',
    '',
  ].join('\r');
}

beforeAll(async () => {
  hospital = await startDemoHospital();
  inboundPort = await freePort();
  const config = parseConfig({
    ...hospital.config,
    cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-his-orders-')) },
    inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his', sourceName: 'HIS 医嘱', patientIdAuthority: 'HIS' },
  });
  composed = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('orders test passphrase', { log2Cost: 12 }),
  });
}, 120_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital?.stop();
});

const medications = (entries: readonly TimelineEntry[]) => entries.filter((e) => e.kind === 'medication');
const sourcesOf = (e: TimelineEntry) => [...new Set(e.provenance.map((p) => p.sourceId))].sort();

describe('HIS pharmacy orders pushed over MLLP', () => {
  it('join the CDR and EMR lines of the same drug, and a DC in the HIS is a conflict with the CDR', async () => {
    const ws = composed.workstation;
    const { candidates } = await ws.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourceId === 'his' && r.sourcePatientId === HIS_DEMO_MRN));
    expect(zhang).toBeDefined();
    const viewId = crypto.randomUUID();
    const opened = await ws.handlers.openPatient({ refs: zhang!.refs, viewId });
    const updates: Extract<ApiEvent, { type: 'timeline.updated' }>[] = [];
    ws.subscribe((e) => {
      if (e.type === 'timeline.updated' && e.viewId === viewId && e.complete) updates.push(e);
    });
    const metforminBefore = medications(opened.entries).find((e) => /二甲双胍/.test(e.title));
    expect(metforminBefore && sourcesOf(metforminBefore)).toEqual(['cdr', 'emr-platform']);
    // Another drug the CDR says 张伟 takes now: the HIS will say it was stopped.
    const other = medications(opened.entries).find((e) => e !== metforminBefore && e.status === 'active' && sourcesOf(e).includes('cdr'));
    expect(other).toBeDefined();

    const sender = await RawMllpSender.connect(inboundPort);
    try {
      const placed = await sender.exchange(
        rdeO11({
          controlId: 'RX-1',
          control: 'NW',
          status: 'IP',
          filler: 'F-1',
          drug: 'Y0002^盐酸二甲双胍片 0.5g^HIS',
          dose: '0.5',
          unit: 'g',
        }),
      );
      expect(field(placed, 'MSA', 1)).toBe('AA');
      const stopped = await sender.exchange(
        rdeO11({ controlId: 'RX-2', control: 'DC', status: 'DC', filler: 'F-2', drug: `Y0003^${other!.title}^HIS`, dose: '1', unit: 'mg' }),
      );
      expect(field(stopped, 'MSA', 1)).toBe('AA');
    } finally {
      sender.close();
    }

    // The open patient's view is updated from the cache once both orders are stored.
    const hasHisOrders = () =>
      medications(updates.at(-1)?.entries ?? []).filter((e) => e.provenance.some((p) => p.sourceId === 'his')).length >= 2;
    await expect.poll(hasHisOrders, { timeout: 10_000 }).toBe(true);
    const lines = medications(updates.at(-1)!.entries);
    const metformin = lines.filter((e) => /二甲双胍/.test(e.title));
    expect(metformin).toHaveLength(1);
    expect(sourcesOf(metformin[0]!)).toEqual(['cdr', 'emr-platform', 'his']);
    expect(metformin[0]!.provenance.find((p) => p.sourceId === 'his')?.messageType).toMatch(/RDE\^O11/);
    const conflicted = lines.find((e) => e.title === other!.title);
    expect(sourcesOf(conflicted!)).toContain('his');
    expect(conflicted!.conflicts?.find((c) => c.field === 'status')?.values.map((v) => [v.sourceId, v.value])).toEqual(
      expect.arrayContaining([
        ['his', 'stopped'],
        ['cdr', 'active'],
      ]),
    );

    // Opened again later: the HIS's live answer (PDQ/results) has no orders, the pushed ones stay.
    const reopened = await ws.handlers.openPatient({ refs: zhang!.refs, viewId: crypto.randomUUID() });
    const again = medications(reopened.entries).filter((e) => /二甲双胍/.test(e.title));
    expect(again.map(sourcesOf)).toEqual([['cdr', 'emr-platform', 'his']]);
  }, 120_000);
});
