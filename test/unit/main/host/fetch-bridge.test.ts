import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendFetchResponse } from '../../../../src/main/host/fetch-bridge.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A real server on 127.0.0.1 answering every request with `answer()` through the bridge. */
async function serve(answer: () => Response): Promise<{ port: number; sent: Promise<unknown>[] }> {
  const sent: Promise<unknown>[] = [];
  server = createServer((_req, res) => {
    sent.push(sendFetchResponse(res, answer()).catch((error: unknown) => error));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, sent };
}

function chunks(count: number, size: number, onCancel?: () => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === count) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(i++ % 251));
    },
    cancel: () => onCancel?.(),
  });
}

describe('sendFetchResponse', () => {
  it('sends status, headers, cookies and every chunk of a body larger than the socket buffer', async () => {
    const { port } = await serve(() => {
      const headers = new Headers({ 'content-type': 'application/octet-stream', 'x-huizhen-cache': 'hit' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(chunks(40, 256 * 1024), { status: 200, headers });
    });
    const answer = await new Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(parts) }));
      }).on('error', reject);
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-huizhen-cache']).toBe('hit');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.bytes.length).toBe(40 * 256 * 1024);
    expect(answer.bytes[39 * 256 * 1024]).toBe(39);
  });

  it('answers without a body', async () => {
    const { port } = await serve(() => new Response(null, { status: 204 }));
    const status = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
    expect(status).toBe(204);
  });

  it('cancels the handler’s stream when the client goes away mid-body', async () => {
    let cancelled!: () => void;
    const cancel = new Promise<void>((resolve) => (cancelled = resolve));
    // Endless: only a cancel ends it.
    const { port, sent } = await serve(
      () =>
        new Response(
          chunks(Infinity, 64 * 1024, () => cancelled()),
          { status: 200 },
        ),
    );
    await new Promise<void>((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.on('close', resolve);
      req.setTimeout(20_000, () => reject(new Error('no body')));
    });
    await cancel;
    await Promise.all(sent);
  });

  it('a body that fails in its first tick still delivers its status and first bytes before the cut', async () => {
    server = createServer((_req, res) => {
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(new TextEncoder().encode('--abc\r\n'));
          else controller.error(new Error('the PACS broke off'));
        },
      });
      // As the hosts do: a failure after the head is a cut connection.
      sendFetchResponse(res, new Response(body, { status: 200 })).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});
