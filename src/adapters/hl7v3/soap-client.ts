/**
 * One SOAP exchange with the platform: POST the envelope, read the answer, and turn every way it
 * can go wrong into a SourceError — network and deadline (shared mapping with the FHIR adapter),
 * HTTP status, SOAP faults of either version (with the fault's own text), unreadable XML.
 * Faults come back as HTTP 500 (1.1) or 400/500 (1.2), so the body is read before the status.
 */
import type { Element } from '@xmldom/xmldom';
import type { Hl7v3Auth } from '../../shared/config/sources/hl7v3.ts';
import { CdaError } from '../xml/index.ts';
import { codeForStatus, transportError, type RequestContext } from '../http/request-errors.ts';
import { SourceError } from '../source-error.ts';
import { hl7v3MessageIn } from './message-payload.ts';
import { buildEnvelope, readEnvelope, soapRequestHeaders, type SoapFault, type SoapVersion } from './soap-envelope.ts';

export interface SoapClientConfig {
  sourceId: string;
  sourceName: string;
  endpoint: string;
  version: SoapVersion;
  auth: Hl7v3Auth;
  timeoutMs: number;
}

export interface SoapAnswer {
  payload: Element;
  receivedAt: string;
}

/** Bodies larger than this are refused before parsing (a CDA answer is a few MB at most). */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export function faultError(ctx: RequestContext, fault: SoapFault, status?: number): SourceError {
  // Sender/Client: our request was wrong. Receiver/Server: the platform failed (worth a retry).
  const sender = fault.code === 'Sender' || fault.code === 'Client';
  const text = [fault.reason, fault.subcode ? `(${fault.subcode})` : undefined].filter(Boolean).join(' ').slice(0, 300);
  return new SourceError(
    sender ? 'bad-request' : 'server-error',
    ctx.sourceId,
    `${ctx.sourceName}: ${ctx.request}: SOAP ${fault.version} fault ${fault.code}: ${text}`,
    {
      request: ctx.request,
      ...(status !== undefined ? { status } : {}),
    },
  );
}

export function protocolError(ctx: RequestContext, problem: string, cause?: unknown): SourceError {
  return new SourceError('protocol', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: ${problem}`, {
    request: ctx.request,
    ...(cause ? { cause } : {}),
  });
}

async function readLimited(response: Response): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) throw new RangeError('response too large');
  const buf = new Uint8Array(await response.arrayBuffer());
  if (buf.length > MAX_RESPONSE_BYTES) throw new RangeError('response too large');
  return buf;
}

export interface SoapClient {
  call(action: string, label: string, body: string, messageId: string, signal: AbortSignal): Promise<SoapAnswer>;
}

export function createSoapClient(config: SoapClientConfig): SoapClient {
  const authorization =
    config.auth.type === 'basic'
      ? `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`, 'utf8').toString('base64')}`
      : undefined;
  return {
    async call(action, label, body, messageId, signal) {
      const ctx: RequestContext = { sourceId: config.sourceId, sourceName: config.sourceName, request: label };
      const envelope = buildEnvelope({ version: config.version, action, messageId, to: config.endpoint, body });
      const deadline = AbortSignal.timeout(config.timeoutMs);
      let status: number;
      let bytes: Uint8Array;
      try {
        const response = await fetch(config.endpoint, {
          method: 'POST',
          headers: { ...soapRequestHeaders(config.version, action), ...(authorization ? { authorization } : {}) },
          body: envelope,
          signal: AbortSignal.any([signal, deadline]),
          redirect: 'error',
        });
        status = response.status;
        bytes = await readLimited(response);
      } catch (error) {
        if (error instanceof RangeError) throw protocolError(ctx, `answered with more than ${MAX_RESPONSE_BYTES} bytes`);
        throw transportError(ctx, error, signal, deadline, config.timeoutMs);
      }
      const receivedAt = new Date().toISOString();
      let message: ReturnType<typeof readEnvelope> | undefined;
      let parseProblem: CdaError | undefined;
      try {
        message = bytes.length > 0 ? readEnvelope(bytes) : undefined;
      } catch (error) {
        if (!(error instanceof CdaError)) throw protocolError(ctx, 'could not read the SOAP answer');
        parseProblem = error;
      }
      if (message?.kind === 'fault') throw faultError(ctx, message.fault, status);
      if (status < 200 || status >= 300) {
        throw new SourceError(codeForStatus(status), ctx.sourceId, `${ctx.sourceName}: ${ctx.request} answered HTTP ${status}`, {
          request: ctx.request,
          status,
        });
      }
      if (parseProblem) throw protocolError(ctx, `unreadable SOAP answer: ${parseProblem.message}`);
      if (!message) throw protocolError(ctx, 'empty answer');
      try {
        return { payload: hl7v3MessageIn(message.payload), receivedAt };
      } catch (error) {
        if (error instanceof CdaError) throw protocolError(ctx, `unreadable HL7 v3 message in the SOAP answer: ${error.message}`);
        throw error;
      }
    },
  };
}
