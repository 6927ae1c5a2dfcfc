import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 now, for a server that must be told its port before it starts (an MLLP
 * listener in a configuration). Another process could take it in between; servers that can
 * listen on port 0 should.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
