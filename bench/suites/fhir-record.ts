import type { Bundle } from '@medplum/fhirtypes';
import { createFhirAdapter, RECORD_TYPES, type FhirAdapterOptions } from '../../src/adapters/fhir/index.ts';
import { startFhirServer, type DemoFhirServer } from '../../src/demo-hospital/fhir-server/fhir-server.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { FhirSourceConfigSchema } from '../../src/shared/config/schema.ts';
import { medianMs, type BenchSuite, type Figure } from '../measure.ts';

const EXTRA_OBSERVATIONS = 10_000;
const PAGE_SIZE = 200;
const RUNS = 2;
/** A hospital WAN rather than loopback: where fetching types concurrently should pay. */
const WAN_DELAY_MS = 20;

interface Traffic {
  pages: number;
  bytes: number;
  resources: number;
}

/** The adapter under test, counting what crossed the wire. */
async function adapterFetch(baseUrl: string, options: FhirAdapterOptions = {}): Promise<Traffic> {
  const traffic = { pages: 0, bytes: 0, resources: 0 };
  const config = FhirSourceConfigSchema.parse({
    id: 'cdr',
    name: 'CDR',
    kind: 'fhir',
    baseUrl,
    resilience: { timeoutMs: 60_000, retries: 0 },
  });
  const adapter = createFhirAdapter(config, {
    pageSize: PAGE_SIZE,
    ...options,
    onResponse: (r) => {
      traffic.pages++;
      traffic.bytes += r.bytes;
    },
  });
  traffic.resources = (await adapter.fetchRecord(DEMO_PATIENT.fhirId, { signal: AbortSignal.timeout(60_000) })).length;
  return traffic;
}

/** The naive client: each type's search to its last page, then the next type. */
async function naiveSequentialFetch(baseUrl: string): Promise<Traffic> {
  const traffic = { pages: 0, bytes: 0, resources: 0 };
  const get = async (url: string): Promise<unknown> => {
    const text = await (await fetch(url, { headers: { accept: 'application/fhir+json' } })).text();
    traffic.pages++;
    traffic.bytes += Buffer.byteLength(text);
    return JSON.parse(text) as unknown;
  };
  await get(`${baseUrl}/Patient/${DEMO_PATIENT.fhirId}`);
  traffic.resources++;
  for (const type of RECORD_TYPES) {
    let url: string | undefined = `${baseUrl}/${type}?patient=Patient/${DEMO_PATIENT.fhirId}&_count=${PAGE_SIZE}`;
    while (url) {
      const bundle = (await get(url)) as Bundle;
      traffic.resources += bundle.entry?.length ?? 0;
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
  }
  return traffic;
}

async function measure(fetchOnce: () => Promise<Traffic>, runs = RUNS): Promise<{ ms: number; traffic: Traffic }> {
  let traffic: Traffic = { pages: 0, bytes: 0, resources: 0 };
  const ms = await medianMs(runs, async () => {
    traffic = await fetchOnce();
  });
  return { ms, traffic };
}

const describeTraffic = (t: Traffic): string => `${t.resources} resources, ${t.pages} pages, ${(t.bytes / 1e6).toFixed(1)} MB`;

/**
 * Whole-record fetch for one patient with 10,000 extra lab Observations from the demo CDR on
 * loopback: the adapter ($everything; concurrent per-type searches where $everything is not
 * offered) against a naive client that reads one type after another, in the same run.
 */
export const fhirRecordFetch: BenchSuite = {
  name: `FHIR record fetch: one patient with ${EXTRA_OBSERVATIONS.toLocaleString('en')} extra Observations, _count=${PAGE_SIZE}`,
  async run(): Promise<Figure[]> {
    const { resources } = generateSyntheticHospital({ extraObservations: EXTRA_OBSERVATIONS });
    const servers: DemoFhirServer[] = await Promise.all([
      startFhirServer({ resources }),
      startFhirServer({ resources, offerEverything: false }),
    ]);
    const [withEverything, searchOnly] = servers as [DemoFhirServer, DemoFhirServer];
    try {
      const naive = await measure(() => naiveSequentialFetch(searchOnly.baseUrl));
      const perType = await measure(() => adapterFetch(searchOnly.baseUrl));
      const everything = await measure(() => adapterFetch(withEverything.baseUrl));
      const withResults = await measure(() =>
        adapterFetch(searchOnly.baseUrl, { extraIncludes: { DiagnosticReport: ['DiagnosticReport:result'] } }),
      );
      const baseline = { name: `naive sequential (${describeTraffic(naive.traffic)})`, value: naive.ms };
      for (const s of servers) s.faults.set({ delayMs: WAN_DELAY_MS });
      const wanNaive = await measure(() => naiveSequentialFetch(searchOnly.baseUrl), 1);
      const wanPerType = await measure(() => adapterFetch(searchOnly.baseUrl), 1);
      const wanEverything = await measure(() => adapterFetch(withEverything.baseUrl), 1);
      const wanBaseline = { name: 'naive sequential', value: wanNaive.ms };
      return [
        { name: `adapter, concurrent per-type searches: ${describeTraffic(perType.traffic)}`, value: perType.ms, unit: 'ms', baseline },
        { name: `adapter, Patient/$everything: ${describeTraffic(everything.traffic)}`, value: everything.ms, unit: 'ms', baseline },
        {
          name: `+${WAN_DELAY_MS} ms per request: adapter, concurrent per-type searches`,
          value: wanPerType.ms,
          unit: 'ms',
          baseline: wanBaseline,
        },
        {
          name: `+${WAN_DELAY_MS} ms per request: adapter, Patient/$everything`,
          value: wanEverything.ms,
          unit: 'ms',
          baseline: wanBaseline,
        },
        {
          name: `per-type + _include=DiagnosticReport:result: ${describeTraffic(withResults.traffic)}`,
          value: withResults.traffic.bytes / 1e6,
          unit: 'MB',
          baseline: { name: 'per-type without it', value: perType.traffic.bytes / 1e6 },
          goal: 'no fewer pages: its Observations come with the Observation search anyway, so it is off',
        },
      ];
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  },
};
