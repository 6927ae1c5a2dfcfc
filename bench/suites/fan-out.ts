import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation } from '../../src/main/composition/index.ts';
import { medianMs, type BenchSuite } from '../measure.ts';

const LATENCIES_MS = [50, 120, 180, 250, 320, 400];

/**
 * Six systems answering in 50–400 ms: opening a patient should cost about the slowest system,
 * not the sum. Each "system" is a real demo FHIR server on loopback with an injected delay.
 */
export const fanOutLatency: BenchSuite = {
  name: 'fan-out: open one patient across 6 systems (50–400 ms each)',
  async run() {
    const hospitals: DemoHospital[] = await Promise.all(LATENCIES_MS.map((delayMs) => startDemoHospital({ fhir: { delayMs } })));
    try {
      const config = parseConfig({
        sources: hospitals.map((h, i) => ({
          id: `sys-${i}`,
          name: `System ${i} (${LATENCIES_MS[i]} ms)`,
          kind: 'fhir',
          baseUrl: h.fhirBaseUrl,
          resilience: { timeoutMs: 30_000, retries: 0 },
        })),
      });
      const workstation = await createWorkstation(config);
      const refs = hospitals.map((_, i) => ({ sourceId: `sys-${i}`, sourcePatientId: DEMO_PATIENT.fhirId }));
      const all = await medianMs(3, () => workstation.loadTimeline(refs));
      const slowest = await medianMs(3, () => workstation.loadTimeline([refs[refs.length - 1]!]));
      const sequential = await medianMs(1, async () => {
        for (const ref of refs) await workstation.loadTimeline([ref]);
      });
      await workstation.close();
      return [
        {
          name: 'all 6 systems concurrently → complete timeline',
          value: all,
          unit: 'ms',
          baseline: { name: 'one system after another', value: sequential },
        },
        {
          name: 'the slowest system alone',
          value: slowest,
          unit: 'ms',
          goal: `all 6 ≤ slowest + 50 ms (now +${(all - slowest).toFixed(0)} ms)`,
        },
      ];
    } finally {
      await Promise.all(hospitals.map((h) => h.stop()));
    }
  },
};
