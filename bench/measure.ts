/** One printed figure: a measurement, the baseline measured in the same run, and their ratio. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** What "better" means for the ratio line. */
  lowerIsBetter?: boolean;
  goal?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<Figure[]>;
}

/**
 * Median CPU time (user + system) of `runs` calls after one warm-up, in milliseconds. On a machine
 * shared with other jobs, wall time mostly measures the queue for a core; CPU time measures the work.
 */
export function medianCpuMs(runs: number, fn: () => unknown, settle?: () => void): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    settle?.();
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Median wall time of `runs` calls after one warm-up, in milliseconds. `settle` runs before
 * each call, outside the timing (e.g. a garbage collection, so each call starts on the heap a
 * workstation has between two patient opens rather than on the previous call's garbage).
 */
export async function medianMs(runs: number, fn: () => unknown, settle?: () => void): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    settle?.();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function formatFigure(f: Figure): string {
  const value = `${f.value.toFixed(f.value < 10 ? 2 : 1)} ${f.unit}`;
  let line = `  ${f.name.padEnd(58)} ${value.padStart(14)}`;
  if (f.baseline) {
    // lowerIsBetter (default): "N× faster than the baseline"; otherwise the figure is a cost
    // over a floor, printed as a multiple of it.
    const ratio = f.baseline.value / f.value;
    const verdict = (f.lowerIsBetter ?? true) ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(1)}× the baseline`;
    line += `   baseline ${f.baseline.name}: ${f.baseline.value.toFixed(1)} ${f.unit} → ${verdict}`;
  }
  if (f.goal) line += `   (goal ${f.goal})`;
  return line;
}
