import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { HIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector, openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../../src/main/composition/index.ts';
import { RawMllpSender, field } from '../support/inbound-hl7-harness.ts';
import { freePort } from '../support/free-port.ts';

/**
 * The census drives the outage cache (issue 16): an HL7 v2 admission pushed over real MLLP into
 * the composed workstation has the patient's HIS record fetched ahead into the encrypted cache;
 * a discharge older than the care window (one day, the shortest the configuration allows) has
 * it purged at the next sweep. Read back by opening the cache itself with the same passphrase.
 */
const PASSPHRASE = 'census prefetch test passphrase';
const protector = () => createPassphraseKeyProtector(PASSPHRASE, { log2Cost: 12 });
const KEY = `his/${HIS_DEMO_MRN}`;
const DAY_MS = 86_400_000;

let hospital: DemoHospital;
let composed: ComposedWorkstation | undefined;
let inboundPort = 0;
const cacheDir = mkdtempSync(join(tmpdir(), 'huizhen-census-prefetch-'));

/** HL7 v2 TS in China time, as the demo HIS writes it. */
const ts = (ms: number) => {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}00+0800`;
};

function pv1(values: Record<number, string>): string {
  const out = Array.from({ length: 46 }, (_, i) => values[i] ?? '');
  out[0] = 'PV1';
  return out.join('|');
}

let control = 0;
function adt(trigger: 'A01' | 'A03', at: number, admittedAt: number, dischargedAt?: number): string {
  control += 1;
  const visit: Record<number, string> = {
    1: '1',
    2: 'I',
    3: 'CARD-1^01^09',
    7: 'D1001^李^医生',
    19: `V-CENSUS-${HIS_DEMO_MRN}`,
    44: ts(admittedAt),
  };
  if (dischargedAt !== undefined) visit[45] = ts(dischargedAt);
  return [
    `MSH|^~\\&|HIS|HOSP|HUIZHEN|WARD|${ts(at)}||ADT^${trigger}^ADT_A01|CENSUS-PREFETCH-${control}|P|2.5|||||CHN|UNICODE UTF-8`,
    `EVN|${trigger}|${ts(at)}`,
    `PID|1||${HIS_DEMO_MRN}^^^HIS^MR||张^伟||19680312|M`,
    pv1(visit),
  ].join('\r');
}

async function push(message: string): Promise<void> {
  const sender = await RawMllpSender.connect(inboundPort);
  try {
    expect(field(await sender.exchange(message), 'MSA', 1)).toBe('AA');
  } finally {
    sender.close();
  }
}

async function compose(): Promise<ComposedWorkstation> {
  const config = parseConfig({
    ...hospital.config,
    cache: { directory: cacheDir },
    inboundHl7: { enabled: true, port: inboundPort, sourceId: 'his' },
    // The census alone decides whom to fetch; no images (no PACS here).
    prefetch: { patients: [], images: false, intervalMinutes: 0 },
    access: { ...hospital.config.access, careWindowDays: 1 },
  });
  return composeWorkstation(config, { protector });
}

/** Reads the cache as a second opener would, with the workstation closed. */
async function withCache<T>(read: (store: CacheStore) => Promise<T>): Promise<T> {
  const store = await openCacheStore({ directory: cacheDir, protector: await protector() });
  try {
    return await read(store);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  hospital = await startDemoHospital({ pacs: false });
  inboundPort = await freePort();
}, 180_000);
afterAll(async () => {
  await composed?.workstation.close();
  await hospital?.stop();
});

describe('census-driven prefetch and purge', () => {
  it("an admission (ADT A01) fetches the patient's HIS record ahead into the encrypted cache", async () => {
    composed = await compose();
    const now = Date.now();
    await push(adt('A01', now, now - 5 * DAY_MS));
    // The sweep waits for the queue the admission started (and fetches every admitted patient).
    const swept = await composed.ward.sweep();
    expect(swept.prefetched).toBe(1);
    await composed.workstation.close();
    composed = undefined;

    await withCache(async (store) => {
      expect(await store.hasPatient(KEY)).toBe(true);
      // A pushed ADT is stored without a sync; the prefetch's query of the HIS leaves its sync time.
      const sync = await store.getSyncState(KEY);
      expect(sync.his?.syncedAt).toEqual(expect.any(String));
      const { records } = await store.getRecords(KEY, { sourceId: 'his' });
      expect(records.length).toBeGreaterThan(0);
      expect(await store.findPatientsByIdentifier(HIS_DEMO_MRN)).toContain(KEY);
    });
  }, 180_000);

  it('a discharge (ADT A03) past the care window purges the patient from the cache at the next sweep', async () => {
    composed = await compose();
    const now = Date.now();
    // Discharged two days ago: beyond the one-day care window.
    await push(adt('A03', now, now - 5 * DAY_MS, now - 2 * DAY_MS));
    const swept = await composed.ward.sweep();
    // The start-up sweep may have run after the push already; either way nobody is admitted now.
    expect(swept.prefetched).toBe(0);
    expect(composed.ward.census.stays().some((s) => s.patient.sourcePatientId === HIS_DEMO_MRN)).toBe(false);
    await composed.workstation.close();
    composed = undefined;

    await withCache(async (store) => {
      expect(await store.hasPatient(KEY)).toBe(false);
      expect(await store.findPatientsByIdentifier(HIS_DEMO_MRN)).not.toContain(KEY);
    });
  }, 180_000);
});
