import { type Agent, request } from 'node:http';

/** What a loopback browser host offers a benchmark: its port, origin and one-time login URLs. */
export interface BenchHost {
  port: number;
  origin: string;
  newLoginUrl(): string;
}

/**
 * Signs in to the browser host as a tab would (one-time URL → cookie) and returns one cheap API
 * call (`getSession`) to time the API's latency while something else loads the workstation.
 */
export async function signedInApiCall(host: BenchHost, agent: Agent): Promise<() => Promise<void>> {
  const http = (path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; cookie: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path,
          method: body === undefined ? 'GET' : 'POST',
          agent,
          headers: { host: `127.0.0.1:${host.port}`, ...headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '').split(';')[0]! }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const login = new URL(host.newLoginUrl());
  const { cookie } = await http(login.pathname + login.search, {});
  return async () => {
    const { status } = await http('/api/getSession', { cookie, origin: host.origin, 'content-type': 'application/json' }, '{}');
    if (status !== 200) throw new Error(`getSession answered ${status}`);
  };
}

/**
 * One signed-in HTTP API call due every 5 ms until `until` settles; each call's latency counted
 * from when it was due, so time the event loop was blocked (which delays the timer too) counts.
 */
export async function probeApi(call: () => Promise<void>, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const due = performance.now() + 5;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call();
    latencies.push(performance.now() - due);
  }
  return latencies;
}
