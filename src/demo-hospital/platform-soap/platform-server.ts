/**
 * The demo hospital's integration platform (集成平台) as a SOAP WebService on 127.0.0.1:
 * PDQv3 and the shared-document query/retrieve, in SOAP 1.2 or 1.1 — each request answered in
 * the version it came in (unlike soap@1.x, which answers 1.1 to a 1.2 request) — with fault knobs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { attr, CdaError, child, descend, readIi } from '../../adapters/xml/index.ts';
import {
  buildDocumentListResponse,
  buildDocumentRetrieveResponse,
  DOCUMENT_QUERY,
  DOCUMENT_RETRIEVE,
} from '../../adapters/hl7v3/document-messages.ts';
import { PDQ_RESPONSE_ACTION } from '../../adapters/hl7v3/pdq-query.ts';
import { buildEnvelope, faultXml, readEnvelope, type SoapVersion } from '../../adapters/hl7v3/soap-envelope.ts';
import { wrapMessage, type AcknowledgementParams, type WrapperParams } from '../../adapters/hl7v3/transmission-wrapper.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { documentsFor, type PlatformDocument } from './cda-documents.ts';
import { PlatformFaults, type PlatformFaultSettings } from './platform-faults.ts';
import { buildPlatformPatients, PLATFORM_DEVICE_ID, type PlatformPatient } from './platform-patients.ts';
import { buildPdqAnswer, matchPatients, readPdqParameters, type PlatformDataTypeStyle } from './pdq-supplier.ts';

export interface PlatformSoapOptions {
  port?: number;
  /** Path of the service (default "/services/HIPService"). */
  path?: string;
  faults?: Partial<PlatformFaultSettings>;
  faultSeed?: number;
  /** How PDQ answers write patients (default "classic"; "iso" as 互联互通 platforms do). */
  dataTypeStyle?: PlatformDataTypeStyle;
}

export interface ReceivedSoapRequest {
  version: SoapVersion | undefined;
  contentType: string;
  /** SOAPAction header (1.1) or the action parameter of the content type (1.2). */
  httpAction?: string;
  wsaAction?: string;
  payload?: string;
}

export interface PlatformSoap {
  readonly url: string;
  readonly faults: PlatformFaults;
  readonly requests: readonly ReceivedSoapRequest[];
  readonly patients: readonly PlatformPatient[];
  documentsOf(empiId: string): readonly PlatformDocument[];
  stop(): Promise<void>;
}

const MAX_REQUEST_BYTES = 1024 * 1024;

/** The bare application acknowledgement platforms answer with when a request fails. */
const ACK_INTERACTION = 'MCCI_IN000002UV01';

function versionOf(contentType: string): SoapVersion | undefined {
  if (/application\/soap\+xml/i.test(contentType)) return '1.2';
  if (/text\/xml/i.test(contentType)) return '1.1';
  return undefined;
}

function send(res: ServerResponse, status: number, version: SoapVersion, body: string): void {
  if (res.headersSent || res.destroyed) return;
  const contentType = version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new RangeError('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The transmission wrapper of a reply from the platform to whoever sent `request`. */
const wrapper = (request: Element): Omit<WrapperParams, 'interaction'> => ({
  messageRoot: PLATFORM_DEVICE_ID,
  messageId: randomUUID(),
  creationTime: new Date(),
  senderDevice: PLATFORM_DEVICE_ID,
  receiverDevice: attr(descend(request, 'sender', 'device', 'id'), 'root') ?? 'unknown',
});
/** The acknowledgement of `request`, unless the fault knobs force one. */
const ackFor = (
  faults: PlatformFaults,
  request: Element,
  fallback: AcknowledgementParams['typeCode'] = 'AA',
  text?: string,
): AcknowledgementParams => {
  const id = child(request, 'id');
  const forced = faults.settings.acknowledgement;
  const warning = faults.settings.answerWarning?.detail;
  const typeCode = forced?.typeCode ?? fallback;
  return {
    typeCode,
    targetMessage: { root: attr(id, 'root') ?? 'unknown', ...(attr(id, 'extension') ? { extension: attr(id, 'extension') } : {}) },
    ...(forced
      ? { detail: { code: 'SYN', text: forced.text } }
      : text
        ? { detail: { text } }
        : warning && typeCode === 'AA'
          ? { detail: { ...warning, typeCode: 'W' as const } }
          : {}),
    ...(forced?.style ? { style: forced.style } : {}),
  };
};

/** What the platform knows when answering; fixed for the life of the server. */
interface PlatformAnswerContext {
  faults: PlatformFaults;
  patients: readonly PlatformPatient[];
  documents: ReadonlyMap<string, readonly PlatformDocument[]>;
  dataTypeStyle: PlatformDataTypeStyle | undefined;
}

/** The reply to one HL7 v3 request (PDQ, document query or retrieve), or a CdaError for anything else. */
function answerMessage(ctx: PlatformAnswerContext, request: Element): { action: string; body: string } {
  const { faults, patients, documents } = ctx;
  const name = request.localName ?? '';
  const forced = faults.settings.acknowledgement !== undefined;
  if (faults.settings.acknowledgement?.bare) {
    return {
      action: `urn:hl7-org:v3:${ACK_INTERACTION}`,
      body: wrapMessage({ ...wrapper(request), interaction: ACK_INTERACTION }, '', ackFor(faults, request)),
    };
  }
  if (name === 'PRPA_IN201305UV02') {
    const q = readPdqParameters(request);
    if (!q.id && !q.name && !q.birthDate) {
      return {
        action: PDQ_RESPONSE_ACTION,
        body: buildPdqAnswer(wrapper(request), ackFor(faults, request, 'AE', 'no query parameters'), [], 'QE', request),
      };
    }
    const matches = forced ? [] : matchPatients(patients, q);
    return {
      action: PDQ_RESPONSE_ACTION,
      body: buildPdqAnswer(
        wrapper(request),
        ackFor(faults, request),
        matches,
        forced ? 'AE' : matches.length > 0 ? 'OK' : 'NF',
        request,
        ctx.dataTypeStyle,
        !forced && matches.length > 0 && faults.settings.answerWarning?.patientWithoutPerson === true,
      ),
    };
  }
  const params = descend(request, 'controlActProcess', 'queryByParameter', 'parameterList');
  if (name === DOCUMENT_QUERY.request) {
    const patientId = readIi(descend(params, 'patientId', 'value'));
    const docs = forced || !patientId?.extension ? [] : (documents.get(patientId.extension) ?? []);
    const queryId = readIi(descend(request, 'controlActProcess', 'queryByParameter', 'queryId'));
    return {
      action: `${DOCUMENT_QUERY.action}Response`,
      body: buildDocumentListResponse(
        wrapper(request),
        ackFor(faults, request),
        queryId,
        forced ? [] : [...docs],
        forced ? 'AE' : docs.length > 0 ? 'OK' : 'NF',
      ),
    };
  }
  if (name === DOCUMENT_RETRIEVE.request) {
    const docId = readIi(descend(params, 'documentId', 'value'));
    const found = forced
      ? undefined
      : [...documents.values()].flat().find((d) => d.id.root === docId?.root && d.id.extension === docId.extension);
    return {
      action: `${DOCUMENT_RETRIEVE.action}Response`,
      body: buildDocumentRetrieveResponse(wrapper(request), ackFor(faults, request), found ? { ...found, cda: found.xml } : undefined),
    };
  }
  throw new CdaError('structure', `/Envelope/Body/${name}`, `unsupported message <${name}>`);
}

/** A SOAP envelope carrying a fault, with a fresh message id. */
function faultEnvelope(version: SoapVersion, action: string, fault: Parameters<typeof faultXml>[1]): string {
  return buildEnvelope({ version, action, messageId: `urn:uuid:${randomUUID()}`, body: faultXml(version, fault) });
}

export async function startPlatformSoap(data: SyntheticHospital, options: PlatformSoapOptions = {}): Promise<PlatformSoap> {
  const path = options.path ?? '/services/HIPService';
  const faults = new PlatformFaults(options.faults, options.faultSeed ?? 1);
  const patients = buildPlatformPatients(data);
  const documents = new Map(patients.map((p) => [p.empiId, documentsFor(p)]));
  const requests: ReceivedSoapRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const answerCtx: PlatformAnswerContext = { faults, patients, documents, dataTypeStyle: options.dataTypeStyle };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'] ?? '';
    const version = versionOf(contentType);
    const record: ReceivedSoapRequest = { version, contentType };
    requests.push(record);
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'POST' || pathname !== path) {
      res.writeHead(req.method === 'POST' ? 404 : 405, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = await readBody(req);
    const decision = faults.decide();
    if (decision.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const delay = faults.settings.delayMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const v: SoapVersion = version ?? '1.1';
    if (decision.kind === 'error') {
      res.writeHead(decision.status, { 'content-type': 'text/plain' }).end('injected error');
      return;
    }
    if (decision.kind === 'corrupt') {
      send(res, 200, v, '<soap:Envelope xmlns:soap="broken"><soap:Body><PRPA_IN201306UV02');
      return;
    }
    if (!version) {
      send(
        res,
        415,
        '1.1',
        faultEnvelope('1.1', 'fault', { code: 'Sender', reason: `unsupported content type ${contentType.slice(0, 60)}` }),
      );
      return;
    }
    record.httpAction =
      version === '1.2' ? /action="?([^";]+)"?/i.exec(contentType)?.[1] : req.headers.soapaction?.toString().replace(/^"|"$/g, '');
    const fault = faults.settings.soapFault;
    let parsed: ReturnType<typeof readEnvelope>;
    try {
      parsed = readEnvelope(body);
    } catch (error) {
      const reason = error instanceof CdaError ? error.message : 'unreadable request';
      send(res, version === '1.2' ? 400 : 500, version, faultEnvelope(version, 'fault', { code: 'Sender', reason }));
      return;
    }
    if (parsed.kind === 'payload') {
      record.wsaAction = parsed.action;
      record.payload = parsed.payload.localName ?? undefined;
    }
    if (fault || parsed.kind === 'fault') {
      const f = fault ?? { code: 'Sender' as const, reason: 'a fault is not a request' };
      send(
        res,
        version === '1.2' && f.code === 'Sender' ? 400 : 500,
        version,
        faultEnvelope(version, 'http://www.w3.org/2005/08/addressing/soap/fault', f),
      );
      return;
    }
    if (parsed.kind !== 'payload') return;
    try {
      const reply = answerMessage(answerCtx, parsed.payload);
      send(
        res,
        200,
        version,
        buildEnvelope({
          version,
          action: reply.action,
          messageId: `urn:uuid:${randomUUID()}`,
          ...(parsed.messageId ? { relatesTo: parsed.messageId } : {}),
          body: reply.body,
        }),
      );
    } catch (error) {
      const reason = error instanceof CdaError ? error.message : 'internal error';
      send(
        res,
        version === '1.2' ? 400 : 500,
        version,
        faultEnvelope(version, 'fault', { code: error instanceof CdaError ? 'Sender' : 'Receiver', reason }),
      );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    faults,
    requests,
    patients,
    documentsOf: (empiId) => documents.get(empiId) ?? [],
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
