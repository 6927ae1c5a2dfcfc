/**
 * A TCP proxy on 127.0.0.1 that holds every connection (accepted, never answered) until released:
 * one slow system in front of a real one, whatever its protocol (MLLP, HTTP, SOAP).
 */
import net from 'node:net';

export interface HeldTcpProxy {
  port: number;
  /** From now on connections pass through; the held ones go on to the real system. */
  release(): void;
  close(): Promise<void>;
}

export async function startHeldTcpProxy(target: { host: string; port: number }): Promise<HeldTcpProxy> {
  let held = true;
  const waiting: net.Socket[] = [];
  const open = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => s.destroy());
  };
  const pass = (client: net.Socket) => {
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    // What the client sent while held is still buffered in its paused stream: pipe delivers it.
    client.pipe(upstream).pipe(client);
  };
  const server = net.createServer((client) => {
    track(client);
    client.pause();
    if (held) waiting.push(client);
    else pass(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the held proxy has no port');
  return {
    port: address.port,
    release() {
      held = false;
      for (const c of waiting.splice(0)) if (!c.destroyed) pass(c);
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
