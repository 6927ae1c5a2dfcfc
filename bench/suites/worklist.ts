import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PASSWORD, demoLocalAccounts } from '../../src/demo-hospital/identity-provider/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import { medianMs, type BenchSuite } from '../measure.ts';

/** The demo CDR's injected answer delay: what a busy hospital system adds to every request. */
const CDR_DELAY_MS = 150;

/**
 * The ward worklist of 40 patients (the demo's census on both wards, seen by a doctor of both):
 * painted from the kept census and the encrypted cache, and completed live (census query + each
 * patient's record from the CDR, 6 at a time) against a CDR that answers every request 150 ms
 * late. Baseline: the slowest source alone — one patient's record from that CDR.
 */
export const worklistFigures: BenchSuite = {
  name: `worklist: 40 patients, painted from the cache and completed live (CDR ${CDR_DELAY_MS} ms per request)`,
  async run() {
    const hospital = await startDemoHospital({ wardCensus: true, fhir: { delayMs: CDR_DELAY_MS } });
    const composed = await composeWorkstation(
      parseConfig({
        ...hospital.config,
        // The demo doctor, on both wards for this measurement.
        auth: { localAccounts: demoLocalAccounts().map((a) => (a.username === 'doctor' ? { ...a, wards: ['CARD-1', 'RESP-2'] } : a)) },
        cache: { directory: mkdtempSync(join(tmpdir(), 'huizhen-bench-worklist-')) },
      }),
      { protector: () => createPassphraseKeyProtector('bench worklist', { log2Cost: 12 }) },
    );
    try {
      const api = composed.api;
      await api.handlers.signInLocal({ username: 'doctor', password: DEMO_PASSWORD });
      const started = performance.now();
      const first = await api.handlers.listWorklist({ from: 'systems' });
      const cold = performance.now() - started;
      const rows = first.rows.length;
      const painted = await medianMs(5, () => api.handlers.listWorklist({ from: 'cache' }));
      const live = await medianMs(3, () => api.handlers.listWorklist({ from: 'systems' }));
      const one = first.rows[0]!.refs;
      const slowest = await medianMs(3, () => composed.workstation.loadTimeline(one));
      return [
        { name: `painted from the cache (${rows} rows)`, value: painted, unit: 'ms', goal: '< 300 ms' },
        {
          name: `first listing, census empty: complete live (${rows} rows)`,
          value: cold,
          unit: 'ms',
          baseline: { name: 'the slowest source alone (one record)', value: slowest },
          lowerIsBetter: false,
          goal: '< 1000 ms',
        },
        {
          name: `complete live (${rows} rows)`,
          value: live,
          unit: 'ms',
          baseline: { name: 'the slowest source alone (one record)', value: slowest },
          lowerIsBetter: false,
          goal: '< 1000 ms',
        },
      ];
    } finally {
      await composed.workstation.close();
      await hospital.stop();
    }
  },
};
