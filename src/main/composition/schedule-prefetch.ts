import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { FetchHandler } from '../services/api/index.ts';
import { prefetchPatients, type PrefetchReport } from '../services/patient-record/index.ts';
import type { Workstation } from './create-workstation.ts';

export interface PrefetchSchedule {
  /** Runs the configured prefetch now, or joins the run under way. */
  now(): Promise<PrefetchReport | undefined>;
  stop(): void;
}

/** The configured prefetch, once at start and then on its interval; it needs the cache to fill. */
export function schedulePrefetch(
  config: HuizhenConfig,
  ports: {
    workstation: Workstation;
    dicomweb: FetchHandler | undefined;
    cacheOpen: boolean;
    log: (line: string) => void;
    afterRun?: () => Promise<void>;
  },
): PrefetchSchedule {
  const { log } = ports;
  const prefetch = ports.cacheOpen ? config.prefetch : undefined;
  const stopped = new AbortController();
  let running: Promise<PrefetchReport | undefined> | undefined;
  const now = () => {
    if (!prefetch) return Promise.resolve(undefined);
    running ??= prefetchPatients(ports.workstation, prefetch, ports.dicomweb, stopped.signal)
      .then(async (report) => {
        await ports.afterRun?.();
        const missed = report.patients.filter((p) => p.outcome !== 'cached');
        const cached = report.patients.length - missed.length;
        log(
          `prefetch: ${cached}/${report.patients.length} patients cached${missed.length > 0 ? ` (${missed.map((p) => `${p.query}: ${p.outcome}`).join(', ')})` : ''}`,
        );
        return report;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  if (config.prefetch && !prefetch) log('prefetch: disabled, it needs the cache');
  if (!prefetch) return { now, stop: () => stopped.abort() };
  void now();
  const timer = prefetch.intervalMinutes > 0 ? setInterval(() => void now(), prefetch.intervalMinutes * 60_000) : undefined;
  timer?.unref();
  return {
    now,
    stop() {
      stopped.abort();
      if (timer) clearInterval(timer);
    },
  };
}
