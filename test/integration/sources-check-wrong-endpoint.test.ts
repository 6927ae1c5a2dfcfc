import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../src/adapters/http/listen-on-loopback.ts';
import { sourcesCheck } from '../../src/cli/commands/sources-check.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';

/**
 * A real loopback web server that is not a FHIR, DICOMweb or SOAP endpoint: it answers 404 under
 * /missing and its home page (HTML, 200) under /site — what a base URL one segment short, or
 * pointed at a portal, gets. `sources check` must call both a failure and say what to check.
 */
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/site')) {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!DOCTYPE html><html><head><title>医院信息门户</title></head><body>欢迎</body></html>');
    } else {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>');
    }
  });
  base = `http://127.0.0.1:${await listenOnLoopback(server, 0)}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const resilience = { timeoutMs: 3000, retries: 0 };
const SOURCES = {
  fhir: (path: string) => ({ id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: `${base}${path}`, resilience }),
  dicomweb: (path: string) => ({ id: 'pacs', name: 'PACS', kind: 'dicomweb', baseUrl: `${base}${path}`, resilience }),
  hl7v3: (path: string) => ({
    id: 'platform',
    name: '集成平台',
    kind: 'hl7v3',
    endpoint: `${base}${path}`,
    soapVersion: '1.2',
    senderDeviceId: '2.16.156.10011.0.99.3',
    receiverDeviceId: '2.16.156.10011.0.99.2',
    patientIdRoot: '2.16.156.10011.0.99.1',
    services: ['pdq'],
    resilience,
  }),
} as const;

async function check(source: object): Promise<{
  code: number;
  lines: string[];
  json: { sources: { ok: boolean; hint?: string; result?: { problem?: string; status?: number } }[] };
}> {
  const lines: string[] = [];
  const config = parseConfig({ sources: [source] });
  const code = await sourcesCheck(config, { out: (l) => lines.push(l), err: (l) => lines.push(l) }, false);
  const jsonLines: string[] = [];
  await sourcesCheck(config, { out: (l) => jsonLines.push(l), err: () => undefined }, true);
  return {
    code,
    lines,
    json: JSON.parse(jsonLines.join('\n')) as { sources: { ok: boolean; hint?: string; result?: { problem?: string; status?: number } }[] },
  };
}

const HINTS = {
  fhir: /is the base URL the FHIR endpoint \(e\.g\. …\/fhir or …\/fhir\/R4\)\? GET .*\/metadata/,
  dicomweb: /is the base URL the DICOMweb root/,
  hl7v3: /is the endpoint the platform's SOAP service itself/,
};

describe.each(Object.keys(SOURCES) as (keyof typeof SOURCES)[])('sources check, %s source pointed at the wrong URL', (kind) => {
  it('HTTP 404 is a failure (exit 1) with a hint, not "reachable, ok"', async () => {
    const { code, lines, json } = await check(SOURCES[kind]('/missing'));
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^FAIL {2}/);
    expect(lines[0]).toContain('answered, but not usable');
    expect(lines.join('\n')).toMatch(HINTS[kind]);
    expect(lines[1]).toContain('HTTP 404');
    expect(json.sources[0]).toMatchObject({
      ok: false,
      result: { problem: 'endpoint-not-found', status: 404 },
      hint: expect.stringMatching(HINTS[kind]),
    });
  });

  it('an HTML page answered with 200 is a failure with a hint', async () => {
    const { code, lines, json } = await check(SOURCES[kind]('/site'));
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^FAIL {2}/);
    expect(lines.join('\n')).toMatch(HINTS[kind]);
    expect(json.sources[0]).toMatchObject({ ok: false, result: { problem: 'not-the-protocol' } });
  });
});
