/**
 * Debian's Orthanc with its DICOMweb plugin as a child process: own config and storage under a
 * temp folder, a free port, stopped by PID.
 *
 * Orthanc 1.10 cannot bind to one address; it listens on every interface. Two settings keep it
 * to this machine and this process: "RemoteAccessAllowed": false refuses any client that is
 * not on loopback, and a user with a random password generated for this run keeps other local
 * users and processes out (the demo data is synthetic, but the adapter's basic-auth path gets
 * exercised against a real server this way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface OrthancCredentials {
  username: string;
  password: string;
}

export interface OrthancProcess {
  pid: number;
  /** e.g. http://127.0.0.1:41234 */
  httpUrl: string;
  dicomwebBaseUrl: string;
  credentials: OrthancCredentials;
  /** Wall time from spawn to the first answered QIDO-RS query. */
  readyMs: number;
  /** Resident memory now, from /proc (undefined once stopped). */
  rssKb(): number | undefined;
  stop(): Promise<void>;
}

/** Why Orthanc cannot run here, or undefined when it can. */
export function orthancMissing(): string | undefined {
  if (!existsSync(ORTHANC_BINARY)) return `Orthanc is not installed (${ORTHANC_BINARY} missing; Debian packages orthanc, orthanc-dicomweb)`;
  if (!existsSync(DICOMWEB_PLUGIN))
    return `Orthanc's DICOMweb plugin is not installed (${DICOMWEB_PLUGIN} missing; Debian package orthanc-dicomweb)`;
  return undefined;
}

/** A port free on every interface, since that is where Orthanc binds. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function orthancConfig(folder: string, httpPort: number, credentials: OrthancCredentials): Record<string, unknown> {
  return {
    Name: 'HUIZHEN-DEMO-PACS',
    StorageDirectory: path.join(folder, 'storage'),
    IndexDirectory: path.join(folder, 'storage'),
    StorageCompression: false,
    HttpPort: httpPort,
    HttpServerEnabled: true,
    HttpDescribeErrors: true,
    KeepAlive: true,
    TcpNoDelay: true,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [credentials.username]: credentials.password },
    DefaultEncoding: 'Utf8',
    SaveJobs: false,
    ConcurrentJobs: 1,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, StudiesMetadata: 'Full', SeriesMetadata: 'Full' },
  };
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-4).join(' | ');
  } catch {
    return '(no log)';
  }
}

async function waitReady(child: ChildProcess, url: string, authorization: string, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Orthanc exited during startup (${child.exitCode ?? child.signalCode}): ${logTail(logFile)}`);
    }
    try {
      const response = await fetch(`${url}/dicom-web/studies?limit=1`, {
        headers: { authorization, accept: 'application/dicom+json' },
        signal: AbortSignal.timeout(1000),
      });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Orthanc did not answer within ${timeoutMs} ms: ${logTail(logFile)}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function startOnce(folder: string, credentials: OrthancCredentials, readyTimeoutMs: number): Promise<OrthancProcess> {
  const port = await freePort();
  const configFile = path.join(folder, 'orthanc.json');
  const logFile = path.join(folder, 'orthanc.log');
  await writeFile(configFile, JSON.stringify(orthancConfig(folder, port, credentials), null, 2), { mode: 0o600 });
  const log = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(ORTHANC_BINARY, [configFile], { stdio: ['ignore', log, log] });
  closeSync(log);
  // If this Node process ends without stop(), Orthanc must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const httpUrl = `http://127.0.0.1:${port}`;
  const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  try {
    await waitReady(child, httpUrl, authorization, logFile, readyTimeoutMs);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    throw error;
  }
  const pid = child.pid as number;
  let stopped: Promise<void> | undefined;
  return {
    pid,
    httpUrl,
    dicomwebBaseUrl: `${httpUrl}/dicom-web`,
    credentials,
    readyMs: Math.round(performance.now() - started),
    rssKb() {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Number(match[1]) : undefined;
      } catch {
        return undefined;
      }
    },
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', killOnExit);
        await stopChild(child);
      })();
      return stopped;
    },
  };
}

export interface StartOrthancOptions {
  readyTimeoutMs?: number;
  /** Fills the new folder's `storage` (index and files) before Orthanc starts on it. */
  prepare?: (folder: string) => Promise<void>;
  /** Runs Orthanc in this folder and keeps it on stop() (instead of a temp folder removed on stop). */
  folder?: string;
}

/** Starts Orthanc in a new temp folder; the folder (config, index, storage) goes on stop(). */
export async function startOrthanc(options: StartOrthancOptions = {}): Promise<OrthancProcess> {
  const missing = orthancMissing();
  if (missing) throw new Error(missing);
  const keep = options.folder !== undefined;
  const folder = options.folder ?? (await mkdtemp(path.join(tmpdir(), 'huizhen-pacs-')));
  const remove = () => (keep ? Promise.resolve() : rm(folder, { recursive: true, force: true }));
  try {
    await options.prepare?.(folder);
  } catch (error) {
    await remove();
    throw error;
  }
  const credentials = { username: 'huizhen', password: randomBytes(18).toString('base64url') };
  let lastError: unknown;
  // The free port may be taken between probing and Orthanc binding it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const orthanc = await startOnce(folder, credentials, options.readyTimeoutMs ?? 20_000);
      return {
        ...orthanc,
        async stop() {
          await orthanc.stop();
          await remove();
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  await remove();
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
