/** Starts the demo hospital as a child process a test can freeze and thaw (SIGSTOP/SIGCONT). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';

export interface FreezableHospital {
  config: HuizhenConfig;
  /** Every system stops answering at once; sockets stay open, as in a hung network. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

const ReadySchema = z.object({ config: z.unknown() });

export async function startFreezableHospital(parts: { pacs?: false; wardCensus?: boolean } = {}): Promise<FreezableHospital> {
  const script = fileURLToPath(new URL('./outage-hospital-child.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(parts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the demo hospital exited (${code}) before it was ready`)));
  });
  lines.close();
  const { config } = ReadySchema.parse(JSON.parse(first));
  const pid = child.pid!;
  return {
    config: parseConfig(config, 'the demo hospital'),
    freeze: () => process.kill(pid, 'SIGSTOP'),
    thaw: () => process.kill(pid, 'SIGCONT'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
      await exited;
    },
  };
}
