/**
 * Runs a synchronous call with the console muted. @lhncbc/ucum-lhc logs with console.log when
 * its parser throws on odd input: in a clinician's workstation that is noise
 * at best and, at worst, a unit string from a hospital system copied into a log. Only for
 * synchronous calls: the console is restored before anything else can run.
 */
type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: readonly ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];
const silent = (): void => {};

export function withConsoleMuted<T>(run: () => T): T {
  const saved = METHODS.map((m) => console[m]);
  for (const m of METHODS) console[m] = silent;
  try {
    return run();
  } finally {
    METHODS.forEach((m, i) => {
      console[m] = saved[i]!;
    });
  }
}
