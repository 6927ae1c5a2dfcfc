/**
 * The benchmarks' HTTP client in a process of its own, as the viewer is in the app: Chromium's
 * renderer and network processes fetch frames, the proxy runs in the main process. In the bench's
 * own process the client's 6 fetches (undici's parsing, each body copied into an ArrayBuffer,
 * their garbage) ran on the proxy's event loop and were counted as the proxy's CPU; Orthanc
 * direct had the same client but no proxy to slow down, so the in-process client charged the
 * proxy for work the app does elsewhere. Every pass (Orthanc direct, pipe, proxy, plain files)
 * goes through this one client, so baseline and measured pass pay the same client.
 *
 * Run as a child (`fork`): each message is a pass; the answer carries its wall time and the
 * client's own CPU over it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ClientPass {
  /** Fetched (and read whole) before the URLs, inside the timed span: the series metadata a viewer asks first. */
  first?: { url: string; headers: Record<string, string> };
  urls: readonly string[];
  headers: Record<string, string>;
  inFlight: number;
  /** Bodies written as `frame-<index>.bin` here (the warm pass keeps them for the plain-file baseline). */
  saveDir?: string;
  /** A failed answer is counted, not thrown. */
  tolerate?: boolean;
}

export interface ClientResult {
  ms: number;
  bytes: number;
  failed: number;
  /** The client process's CPU (user + system) over the pass. */
  clientCpuMs: number;
}

type Reply = { id: number; ok: true; result: ClientResult } | { id: number; ok: false; message: string };

async function readAll(url: string, headers: Record<string, string>, tolerate: boolean): Promise<{ body: Uint8Array; ok: boolean }> {
  const response = await fetch(url, { headers });
  const body = new Uint8Array(await response.arrayBuffer());
  if (!response.ok && !tolerate) throw new Error(`${url}: HTTP ${response.status}`);
  return { body, ok: response.ok };
}

/** Every URL, `inFlight` at a time, each body read whole (what the viewer's loader does). */
async function runPass(pass: ClientPass): Promise<ClientResult> {
  const cpu = process.cpuUsage();
  let next = 0;
  let bytes = 0;
  let failed = 0;
  const writes: Promise<void>[] = [];
  const started = performance.now();
  if (pass.first) await readAll(pass.first.url, pass.first.headers, false);
  const worker = async () => {
    while (next < pass.urls.length) {
      const index = next++;
      const { body, ok } = await readAll(pass.urls[index]!, pass.headers, pass.tolerate ?? false);
      if (!ok) failed++;
      bytes += body.byteLength;
      if (pass.saveDir) writes.push(writeFile(join(pass.saveDir, `frame-${index}.bin`), body));
    }
  };
  await Promise.all(Array.from({ length: pass.inFlight }, worker));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await Promise.all(writes);
  return { ms, bytes, failed, clientCpuMs: (used.user + used.system) / 1000 };
}

if (process.send && process.argv[2] === 'client') {
  process.on('message', (message: { id: number; pass: ClientPass }) => {
    runPass(message.pass).then(
      (result) => process.send!({ id: message.id, ok: true, result } satisfies Reply),
      (error: unknown) => process.send!({ id: message.id, ok: false, message: String(error) } satisfies Reply),
    );
  });
}

export interface ClientProcess {
  pid: number;
  run(pass: ClientPass): Promise<ClientResult>;
  close(): void;
}

/** Starts the client process; one pass at a time. */
export function startClientProcess(): ClientProcess {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let ids = 0;
  const waiting = new Map<number, (reply: Reply) => void>();
  child.on('message', (reply: Reply) => {
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  return {
    pid: child.pid!,
    run(pass) {
      const id = ++ids;
      return new Promise<ClientResult>((resolve, reject) => {
        waiting.set(id, (reply) => (reply.ok ? resolve(reply.result) : reject(new Error(reply.message))));
        child.send({ id, pass });
      });
    },
    close() {
      child.disconnect();
      child.kill();
    },
  };
}
