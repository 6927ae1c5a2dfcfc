/**
 * A real RabbitMQ (Debian's rabbitmq-server) run as a plain process for the demo hospital and
 * the tests: its own node name, data directory, and free ports on 127.0.0.1 (AMQP, Erlang
 * distribution, and its own epmd, so it never meets another broker on this machine). It is
 * stopped by the PIDs it started: the epmd we launch ourselves (not daemonised, so we know its
 * PID), the launcher script, and every process under it (beam.smp and its helpers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's launcher; HUIZHEN_RABBITMQ_SERVER names another (or a missing one, to try the demo without a broker). */
export const rabbitmqServerPath = (): string => process.env.HUIZHEN_RABBITMQ_SERVER || '/usr/lib/rabbitmq/bin/rabbitmq-server';
const ERTS_GLOB_ROOT = '/usr/lib/erlang';

/** Why RabbitMQ cannot run here, or undefined when it can. */
export function rabbitmqMissing(): string | undefined {
  const server = rabbitmqServerPath();
  if (!existsSync(server)) return `rabbitmq-server is not installed (${server} missing; Debian package "rabbitmq-server")`;
  if (!epmdPath()) return 'epmd (Erlang) is not installed';
  return undefined;
}

function epmdPath(): string | undefined {
  if (!existsSync(ERTS_GLOB_ROOT)) return undefined;
  for (const dir of readdirSync(ERTS_GLOB_ROOT)) {
    const path = join(ERTS_GLOB_ROOT, dir, 'bin', 'epmd');
    if (dir.startsWith('erts-') && existsSync(path)) return path;
  }
  return existsSync('/usr/bin/epmd') ? '/usr/bin/epmd' : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RabbitmqOptions {
  /** Default: a new temporary directory, removed by close(). */
  dataDir?: string;
  /** Startup takes 5–30 s on a loaded 2-core machine. */
  startTimeoutMs?: number;
  log?: (line: string) => void;
  /** The AMQP, distribution and epmd ports a first start tries (default: three free ones); tests hand it a taken one. */
  choosePorts?: () => Promise<[number, number, number]>;
}

export interface RabbitmqProcess {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** amqp://guest:guest@127.0.0.1:PORT — guest may log in over loopback only. */
  readonly url: string;
  readonly dataDir: string;
  readonly running: boolean;
  /** Stops the broker's processes (by PID); its data (durable queues, persistent messages) stays. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data. */
  start(): Promise<void>;
  /** Stops it and removes the temporary data directory it made. */
  close(): Promise<void>;
}

/** PIDs of every live descendant of `root`, read from /proc (children before their parents' exit). */
function descendantsOf(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(name), Number(after[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(state);
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function acceptsAmqp(port: number): Promise<boolean> {
  // The AMQP protocol header is answered with Connection.Start only once the broker has booted.
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.length > 7 && chunk[0] === 1));
    socket.once('connect', () => socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
  });
}

/**
 * A first start whose port another process took between our choosing it and RabbitMQ binding it
 * (free ports are only free when asked; parallel test workers ask at the same moment).
 */
class PortTakenError extends Error {}

const START_ATTEMPTS = 3;

/** Bytes of a file from `from` on, or '' while it does not exist. */
function textFrom(path: string, from: number): string {
  try {
    return readFileSync(path).subarray(from).toString('utf8');
  } catch {
    return '';
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export async function startRabbitmq(options: RabbitmqOptions = {}): Promise<RabbitmqProcess> {
  const missing = rabbitmqMissing();
  if (missing) throw new Error(missing);
  for (let attempt = 1; ; attempt++) {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'huizhen-rabbitmq-'));
    try {
      return await startOnFreePorts(dataDir, options.dataDir === undefined, options);
    } catch (error) {
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      if (!(error instanceof PortTakenError) || attempt === START_ATTEMPTS) throw error;
      options.log?.(`rabbitmq: ${error.message}; trying other ports`);
    }
  }
}

async function startOnFreePorts(dataDir: string, ownDir: boolean, options: RabbitmqOptions): Promise<RabbitmqProcess> {
  const log = options.log ?? (() => {});
  const [port, distPort, epmdPort] = options.choosePorts
    ? await options.choosePorts()
    : [await freePort(), await freePort(), await freePort()];
  const nodeName = `huizhen-${process.pid}-${port}@localhost`;
  const erlangCookie = join(dataDir, '.erlang.cookie');
  if (!existsSync(erlangCookie)) writeFileSync(erlangCookie, `HUIZHEN${port}${Date.now()}`, { mode: 0o400 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    LANG: 'C.UTF-8',
    // Nothing from /etc/rabbitmq: this node is configured entirely here.
    RABBITMQ_CONF_ENV_FILE: join(dataDir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(dataDir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dataDir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dataDir, 'enabled_plugins'),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_MNESIA_BASE: join(dataDir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dataDir, 'log'),
    RABBITMQ_PID_FILE: join(dataDir, 'rabbitmq.pid'),
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    RABBITMQ_LOGS: join(dataDir, 'log', 'rabbit.log'),
  };
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  let epmd: ChildProcess | undefined;
  let server: ChildProcess | undefined;
  let running = false;

  async function stopPids(): Promise<void> {
    const launcher = server?.pid;
    if (launcher !== undefined) {
      const tree = descendantsOf(launcher);
      // SIGTERM to beam.smp alone is a clean shutdown (messages on disk stay consistent); its
      // helpers (erl_child_setup, inet_gethost) end with it, and are killed only if they linger.
      const beam = tree.filter((pid) => commandOf(pid).endsWith('beam.smp'));
      for (const pid of beam.length > 0 ? beam : tree) signal(pid, 'SIGTERM');
      if (!(await waitGone(tree, 30_000))) for (const pid of tree) signal(pid, 'SIGKILL');
      signal(launcher, 'SIGTERM');
      if (!(await waitGone([launcher], 5_000))) signal(launcher, 'SIGKILL');
    }
    if (epmd?.pid !== undefined) {
      signal(epmd.pid, 'SIGTERM');
      if (!(await waitGone([epmd.pid], 5_000))) signal(epmd.pid, 'SIGKILL');
    }
    server = undefined;
    epmd = undefined;
    running = false;
  }

  const outFile = join(dataDir, 'rabbitmq-server.out');
  const logFile = join(dataDir, 'log', 'rabbit.log');
  let started = false;

  async function start(): Promise<void> {
    if (running) return;
    // Only what this start writes counts: a restart appends to the same files.
    const [outFrom, logFrom] = [sizeOf(outFile), sizeOf(logFile)];
    epmd = spawn(epmdPath()!, ['-port', String(epmdPort), '-address', '127.0.0.1'], { env, stdio: 'ignore' });
    const out = openSync(outFile, 'a');
    server = spawn(rabbitmqServerPath(), [], { env, stdio: ['ignore', out, out] });
    closeSync(out);
    let exited: string | undefined;
    server.once('exit', (code, sig) => {
      exited = `rabbitmq-server exited (${sig ?? code})`;
      running = false;
    });
    const deadline = Date.now() + timeoutMs;
    // Ours is up when our node logged its listener on our port and that port answers AMQP: an
    // answer alone could come from another process that took the port first.
    const ownListener = () => textFrom(logFile, logFrom).includes(`started TCP listener on 127.0.0.1:${port}`);
    for (;;) {
      if (ownListener() && (await acceptsAmqp(port))) break;
      const output = textFrom(outFile, outFrom);
      const bootFailed = output.includes('init terminating in do_boot');
      if (exited || bootFailed || Date.now() > deadline) {
        await stopPids();
        const tail = output.slice(-2000);
        if (!started && bootFailed && output.includes('eaddrinuse'))
          throw new PortTakenError(`a port of ${nodeName} was taken (eaddrinuse)`);
        const why = exited ?? (bootFailed ? 'rabbitmq-server failed to boot' : undefined);
        throw new Error(`${why ?? `rabbitmq-server did not accept AMQP on 127.0.0.1:${port} within ${timeoutMs} ms`}\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    started = true;
    running = true;
    log(`rabbitmq: node ${nodeName} accepting AMQP on 127.0.0.1:${port}`);
  }

  await start();
  let closed: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    dataDir,
    get running() {
      return running;
    },
    stop: stopPids,
    start,
    close() {
      closed ??= stopPids().then(() => {
        if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      });
      return closed;
    },
  };
}
