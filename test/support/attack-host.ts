/**
 * The attacker's seat for the attack-* integration tests: the composed workstation behind its real
 * browser host on 127.0.0.1, reached only over sockets with the tabs' own cookies (each tab
 * redeems its own one-time token), and the demo PACS behind a recording relay, so a test can tell
 * that a refused request reached no hospital system at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startDemoHospital, type DemoHospital, type DemoHospitalOptions } from '../../src/demo-hospital/start-demo-hospital.ts';
import type { CallLimitsConfig } from '../../src/shared/config/call-limits.ts';
import { composeWorkstation } from '../../src/main/composition/index.ts';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';

/** Every request the PACS was asked through the relay, as method and path. */
export interface PacsRelay {
  url: string;
  asked: string[];
  /** From now on every request is accepted and never answered (a hung PACS). */
  hold(): void;
  close(): Promise<void>;
}

/** Forwards each HTTP request to the PACS as sent (Host kept: Orthanc names its URLs after it) and records it. */
export async function startPacsRelay(target: string): Promise<PacsRelay> {
  const upstream = new URL(target);
  const asked: string[] = [];
  let held = false;
  const server: Server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    if (held) return;
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    asked,
    hold: () => {
      held = true;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ApiAnswer {
  status: number;
  body: { error?: { code?: string; message?: string; reason?: string } } & Record<string, unknown>;
}

/** One browser tab: its own session cookie, nothing else. */
export interface Tab {
  call(method: string, body?: unknown): Promise<ApiAnswer>;
  dicomweb(path: string, accept?: string): Promise<Response>;
  raw(path: string, init?: RequestInit): Promise<Response>;
  /** The tab's Cookie header value, for requests made over a plain socket. */
  cookie(): Promise<string>;
}

export interface AttackHost {
  host: BrowserHost;
  pacs: PacsRelay;
  pacsId: string;
  lines: string[];
  tab(): Promise<Tab>;
  /** A tab that never redeemed a token. */
  stranger(): Tab;
  settled(): Promise<void>;
  close(): Promise<void>;
}

function tabWith(host: BrowserHost, pacsId: string, cookie: string | undefined): Tab {
  const headers = (extra: Record<string, string>) => ({ origin: host.origin, ...(cookie ? { cookie } : {}), ...extra });
  return {
    async call(method, body = {}) {
      const response = await fetch(`${host.origin}/api/${method}`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
      });
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.parse(text) as ApiAnswer['body'] };
      } catch {
        return { status: response.status, body: { error: { message: text } } };
      }
    },
    dicomweb: (path, accept = 'application/dicom+json') =>
      fetch(`${host.origin}/dicom-web/${pacsId}/${path}`, { headers: headers({ accept }) }),
    cookie: () => Promise.resolve(cookie ?? ''),
    raw: (path, init = {}) =>
      fetch(`${host.origin}${path}`, { ...init, headers: { ...headers({}), ...(init.headers as Record<string, string> | undefined) } }),
  };
}

/** The demo hospital's workstation (encrypted cache kept across sign-outs unless `purgeOnLogout`) behind its browser host. */
export async function startAttackHost(
  hospital: DemoHospital,
  options: { purgeOnLogout?: boolean; pacsTimeoutMs?: number; callLimits?: Partial<CallLimitsConfig> } = {},
): Promise<AttackHost> {
  const home = mkdtempSync(join(tmpdir(), 'huizhen-attack-'));
  const source = hospital.config.sources.find((s) => s.kind === 'dicomweb');
  if (source?.kind !== 'dicomweb') throw new Error('the demo hospital has no PACS');
  const pacs = await startPacsRelay(source.baseUrl);
  const config = parseConfig({
    ...hospital.config,
    sources: hospital.config.sources.map((s) =>
      s.kind === 'dicomweb'
        ? { ...s, baseUrl: pacs.url, ...(options.pacsTimeoutMs ? { resilience: { timeoutMs: options.pacsTimeoutMs, retries: 0 } } : {}) }
        : s,
    ),
    cache: { enabled: true, directory: join(home, 'cache'), purgeOnLogout: options.purgeOnLogout ?? false },
    ...(options.callLimits ? { access: { ...hospital.config.access, callLimits: options.callLimits } } : {}),
  });
  const lines: string[] = [];
  const { api, workstation, dicomweb, dicomwebSettled } = await composeWorkstation(config, {
    protector: () => createPassphraseKeyProtector('attack test passphrase', { log2Cost: 12 }),
    log: (line) => lines.push(line),
  });
  if (!dicomweb) throw new Error('the workstation mounted no DICOMweb endpoint');
  const host = await startBrowserHost({
    backend: api,
    staticHandler: () => Promise.resolve(new Response('no renderer in this test', { status: 404 })),
    mounts: { '/dicom-web/': dicomweb },
    log: (line) => lines.push(line),
  });
  return {
    host,
    pacs,
    pacsId: source.id,
    lines,
    async tab() {
      const redeemed = await fetch(host.newLoginUrl(), { redirect: 'manual' });
      const cookie = redeemed.headers.get('set-cookie')?.split(';')[0];
      if (redeemed.status !== 303 || !cookie) throw new Error(`the one-time token was not redeemed (${redeemed.status})`);
      return tabWith(host, source.id, cookie);
    },
    stranger: () => tabWith(host, source.id, undefined),
    settled: dicomwebSettled,
    async close() {
      await host.close();
      await workstation.close();
      await pacs.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** One demo hospital (small PACS) and its attack host for a test file: started before its tests, stopped after them. */
export function useAttackHost(options: Parameters<typeof startAttackHost>[1] & { hospital?: DemoHospitalOptions } = {}): {
  readonly hospital: DemoHospital;
  readonly attack: AttackHost;
} {
  const live = {} as { hospital: DemoHospital; attack: AttackHost };
  beforeAll(async () => {
    const { hospital, ...host } = options;
    live.hospital = await startDemoHospital({ pacs: 'small', ...hospital });
    if (live.hospital.notices.length > 0) throw new Error(live.hospital.notices.join('; '));
    live.attack = await startAttackHost(live.hospital, host);
  }, 240_000);
  afterAll(async () => {
    await live.attack?.close();
    await live.hospital?.stop();
  }, 60_000);
  return live;
}
