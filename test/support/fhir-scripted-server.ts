/**
 * A bare loopback HTTP server whose answers a test scripts: for server misbehaviour the demo
 * FHIR server never shows (paging loops, links to other origins). Real sockets, nothing mocked.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status?: number;
  body: unknown;
}

export interface ScriptedServer {
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startFhirScriptedServer(answer: (req: IncomingMessage, baseUrl: string) => ScriptedAnswer): Promise<ScriptedServer> {
  let baseUrl = '';
  const server = createServer((req, res) => {
    const { status = 200, body } = answer(req, baseUrl);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return {
    baseUrl,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
