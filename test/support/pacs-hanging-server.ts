/** An HTTP server on loopback that accepts requests and never answers: for deadline tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HangingServer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

export async function startHangingServer(): Promise<HangingServer> {
  const open = new Set<http.ServerResponse>();
  const state = { requests: 0 };
  const server = http.createServer((_req, res) => {
    state.requests += 1;
    open.add(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
