/**
 * The demo hospital's CDR: a real FHIR R4 server on 127.0.0.1, built on Medplum's FhirRouter and
 * MemoryRepository, plus what those lack (/metadata, $everything, paging links, ETags, _include,
 * 410 for deleted resources, absolute URLs), optional SMART Backend Services auth, and fault
 * knobs for resilience tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus, isOk, normalizeOperationOutcome } from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import { PagedMemoryRepository } from './paged-memory-repository.ts';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { buildCapabilityStatement } from './capability-statement.ts';
import { patientEverything, slicePage } from './everything-operation.ts';
import { FaultInjector, type FaultSettings } from './fault-injection.ts';
import { loadFhirDefinitions } from './fhir-definitions.ts';
import { readJsonBody, readTextBody, sendFhir, sendJson, sendRaw } from './http-io.ts';
import { errorOutcome } from './operation-outcome.ts';
import { decorateSearchset, pageWindow } from './paging.ts';
import { isAuthorized, type FhirServerAuth } from './request-auth.ts';
import { createSmartAuthorizationServer, TOKEN_PATH, type SmartAuthorizationServer } from './smart-authorization-server.ts';
import { isServedType } from './served-types.ts';
import { expandLocationBelow } from './location-below.ts';

export interface FhirServerOptions {
  resources: readonly Resource[];
  /** 0 (default) lets the OS choose a free port. */
  port?: number;
  /** Path of the FHIR base under the origin (default "/fhir"). */
  basePath?: string;
  faults?: Partial<FaultSettings>;
  /** Seed for the error-rate draw (default 1). */
  faultSeed?: number;
  /** Offer Patient/$everything (default true); off to exercise clients' per-type fallback. */
  offerEverything?: boolean;
  auth?: FhirServerAuth;
  softwareName?: string;
  /**
   * Patient id → records sent in its Patient/$everything besides the stored ones: the bad-data
   * mode's second, differing copy of a record under the same id (a store cannot hold both).
   */
  everythingExtras?: ReadonlyMap<string, readonly Resource[]>;
}

export interface ReceivedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  authorization: string | undefined;
}

export interface DemoFhirServer {
  readonly baseUrl: string;
  readonly faults: FaultInjector;
  /** Every request received, oldest first (tests assert on paging, auth headers, fan-out). */
  readonly requests: readonly ReceivedRequest[];
  readonly repository: PagedMemoryRepository;
  /** The SMART authorization server, when started with auth type "smart". */
  readonly smart: SmartAuthorizationServer | undefined;
  stop(): Promise<void>;
}

export const SOFTWARE_NAME = 'Huizhen Demo CDR';
export const SOFTWARE_VERSION = '0.1.0';

const EVERYTHING_PATH = /^Patient\/([A-Za-z0-9\-.]{1,64})\/\$everything$/;
const READ_PATH = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;
const SEARCH_PATH = /^([A-Z][A-Za-z]+)$/;

/** Clients commonly send `patient=123`; Medplum only matches the full reference `Patient/123`. */
function normalizeReferenceParams(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    out.append(key, (key === 'patient' || key === 'subject') && /^[A-Za-z0-9\-.]{1,64}$/.test(value) ? `Patient/${value}` : value);
  }
  return out;
}

function weakEtag(resource: Resource): string | undefined {
  return resource.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined;
}

interface RouteAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What routing needs from a running server; baseUrl is filled in once the port is known. */
interface FhirRouteContext {
  basePath: string;
  baseUrl: string;
  offerEverything: boolean;
  softwareName: string | undefined;
  smart: SmartAuthorizationServer | undefined;
  repository: PagedMemoryRepository;
  router: FhirRouter;
  // $everything assembles the whole record for each page a client reads; keep the last few
  // results (keyed by patient and _since) until anything is written, so paging stays linear.
  everythingCache: Map<string, Bundle>;
  everythingExtras: ReadonlyMap<string, readonly Resource[]>;
}

/** One page of Patient/$everything, assembling the record once and reusing it from the cache while paging. */
async function everythingPage(ctx: FhirRouteContext, patientId: string, url: URL): Promise<Bundle> {
  const { everythingCache, repository, baseUrl } = ctx;
  const since = url.searchParams.get('_since') ?? undefined;
  const key = `${patientId}|${since ?? ''}`;
  let all = everythingCache.get(key);
  if (!all) {
    all = await patientEverything(repository, patientId, since);
    const extras = since ? undefined : ctx.everythingExtras.get(patientId);
    if (extras)
      all = { ...all, total: (all.total ?? 0) + extras.length, entry: [...(all.entry ?? []), ...extras.map((resource) => ({ resource }))] };
    if (everythingCache.size >= 16) everythingCache.delete(everythingCache.keys().next().value as string);
    everythingCache.set(key, all);
  }
  // $everything returns the whole record unless the client pages it with _count.
  const window = url.searchParams.has('_count')
    ? pageWindow(url.searchParams)
    : { offset: pageWindow(url.searchParams).offset, count: Math.max(all.total ?? 0, 1) };
  return decorateSearchset(slicePage(all, window.offset, window.count), baseUrl, url, window);
}

/** Answers one authorized FHIR request: /metadata, $everything, or Medplum's router with our decorations. */
async function routeFhirRequest(ctx: FhirRouteContext, req: IncomingMessage, url: URL): Promise<RouteAnswer> {
  const { basePath, baseUrl, offerEverything, smart, repository, router, everythingCache } = ctx;
  const method = (req.method ?? 'GET').toUpperCase();
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
    return { status: 404, body: errorOutcome(404, `No FHIR endpoint at ${url.pathname}; the base is ${basePath}`) };
  }
  const rel = url.pathname.slice(basePath.length).replace(/^\/+/, '');

  if (method === 'GET' && rel === 'metadata') {
    return {
      status: 200,
      body: buildCapabilityStatement({
        baseUrl,
        softwareName: ctx.softwareName ?? SOFTWARE_NAME,
        softwareVersion: SOFTWARE_VERSION,
        offerEverything,
        ...(smart ? { smartTokenUrl: `${url.origin}${TOKEN_PATH}` } : {}),
      }),
    };
  }

  const everything = EVERYTHING_PATH.exec(rel);
  if (method === 'GET' && everything && offerEverything) {
    return { status: 200, body: await everythingPage(ctx, everything[1] as string, url) };
  }

  const searchType = method === 'GET' ? SEARCH_PATH.exec(rel)?.[1] : undefined;
  if (searchType !== undefined && !isServedType(searchType)) {
    return { status: 404, body: errorOutcome(404, `Resource type ${searchType} is not served here`) };
  }
  const params = await expandLocationBelow(normalizeReferenceParams(url.searchParams), repository);
  const query = params.toString();
  const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readJsonBody(req) : undefined;
  if (method !== 'GET' && method !== 'HEAD') everythingCache.clear();
  const fhirRequest: FhirRequest = {
    method: method as HttpMethod,
    url: `/${rel}${query ? `?${query}` : ''}`,
    pathname: '',
    params: {},
    query: {},
    body,
    headers: req.headers,
  };
  const [outcome, resource] = await router.handleRequest(fhirRequest, repository);
  const status = getStatus(outcome);
  if (!isOk(outcome) || !resource) return { status, body: outcome };

  if (searchType !== undefined && resource.resourceType === 'Bundle') {
    return { status, body: decorateSearchset(resource as Bundle, baseUrl, url, pageWindow(url.searchParams)) };
  }
  if (method === 'GET' && READ_PATH.test(rel)) {
    const etag = weakEtag(resource);
    const headers: Record<string, string> = {};
    if (etag) headers.etag = etag;
    if (resource.meta?.lastUpdated) headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (etag && req.headers['if-none-match'] === etag) return { status: 304, body: undefined, headers };
    return { status, body: resource, headers };
  }
  return { status, body: resource };
}

/** The public SMART endpoints; true when the request was one of them. */
async function answerSmart(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  basePath: string,
  server: SmartAuthorizationServer,
): Promise<boolean> {
  if (url.pathname === `${basePath}/.well-known/smart-configuration` && req.method === 'GET') {
    sendJson(res, 200, server.configuration(url.origin));
    return true;
  }
  if (url.pathname !== TOKEN_PATH) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'invalid_request', error_description: 'use POST' }, { allow: 'POST' });
    return true;
  }
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'expected application/x-www-form-urlencoded' });
    return true;
  }
  const answer = await server.token(new URLSearchParams(await readTextBody(req)), url.origin);
  sendJson(res, answer.status, answer.body);
  return true;
}

export async function startFhirServer(options: FhirServerOptions): Promise<DemoFhirServer> {
  loadFhirDefinitions();
  const basePath = (options.basePath ?? '/fhir').replace(/\/+$/, '');
  const offerEverything = options.offerEverything ?? true;
  const auth: FhirServerAuth = options.auth ?? { type: 'none' };
  const faults = new FaultInjector(options.faults, options.faultSeed ?? 1);
  const smart = auth.type === 'smart' ? createSmartAuthorizationServer(auth) : undefined;
  const authorized = (header: string | undefined): boolean =>
    auth.type === 'smart' ? (smart as SmartAuthorizationServer).isValidToken(header) : isAuthorized(auth, header);
  const repository = new PagedMemoryRepository();
  for (const resource of options.resources) await repository.createResource(resource);
  const requests: ReceivedRequest[] = [];
  const hung = new Set<ServerResponse>();
  const ctx: FhirRouteContext = {
    basePath,
    baseUrl: '',
    offerEverything,
    softwareName: options.softwareName,
    smart,
    repository,
    router: new FhirRouter(),
    everythingCache: new Map<string, Bundle>(),
    everythingExtras: options.everythingExtras ?? new Map(),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', ctx.baseUrl);
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization });

    const decision = faults.decide();
    if (decision.kind === 'hang') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    const { delayMs } = faults.settings;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (decision.kind === 'error') {
      const headers: Record<string, string> = decision.retryAfter !== undefined ? { 'retry-after': decision.retryAfter } : {};
      const echo = faults.settings.echoRequest ? ` for ${req.method ?? 'GET'} ${safeDecode(req.url ?? '/')}` : '';
      sendFhir(res, decision.status, errorOutcome(decision.status, `Injected fault: HTTP ${decision.status}${echo}`), headers);
      return;
    }
    if (smart && (await answerSmart(req, res, url, basePath, smart))) return;
    if (!authorized(req.headers.authorization)) {
      const challenge =
        auth.type === 'basic' ? 'Basic realm="fhir"' : req.headers.authorization ? 'Bearer error="invalid_token"' : 'Bearer';
      sendFhir(res, 401, errorOutcome(401, 'Authentication required'), { 'www-authenticate': challenge });
      return;
    }
    if (decision.kind === 'corrupt') {
      if (decision.mode === 'malformed-json') sendRaw(res, 200, '{"resourceType":"Bundle","entry":[{"resource":');
      else sendFhir(res, 200, { resourceType: 'Basic', id: 'not-what-you-asked-for', code: { text: 'wrong type' } });
      return;
    }

    try {
      const { status, body, headers } = await routeFhirRequest(ctx, req, url);
      sendFhir(res, status, body, headers);
    } catch (error) {
      // Medplum throws OperationOutcomeErrors (e.g. not-found from readResource); anything else is ours.
      const outcome = normalizeOperationOutcome(error);
      sendFhir(res, getStatus(outcome), outcome);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      sendFhir(res, 500, errorOutcome(500, error instanceof Error ? error.message : 'internal error')),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `http://127.0.0.1:${port}${basePath}`;

  return {
    get baseUrl() {
      return ctx.baseUrl;
    },
    faults,
    requests,
    repository,
    smart,
    async stop() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
