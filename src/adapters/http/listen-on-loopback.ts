import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts an HTTP server on 127.0.0.1 only (port 0: any free one) and resolves with its port;
 * a failure to listen (the port taken) rejects instead of surfacing as an 'error' event.
 * Loopback because what listens here — a sign-in callback, the demo IdP — must never be
 * reachable from the ward network.
 */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
