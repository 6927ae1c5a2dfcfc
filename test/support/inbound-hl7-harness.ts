/**
 * Test support for the inbound HL7 listener: a real encrypted cache in a temp dir (low scrypt
 * cost), the listener on 127.0.0.1 port 0, a raw MLLP sender that can split its bytes any way,
 * and push messages as a HIS/LIS writes them.
 */
import { connect, type Socket } from 'node:net';
import iconv from 'iconv-lite';
import { frameMllp, MllpDecoder } from '../../src/adapters/hl7v2/mllp-framing.ts';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/index.ts';
import { startInboundHl7Listener } from '../../src/main/services/inbound-hl7/index.ts';
import { type InboundHl7Listener } from '../../src/main/services/inbound-hl7/inbound-listener.ts';
import { type InboundOutcome } from '../../src/main/services/inbound-hl7/inbound-processor.ts';
import { InboundHl7ConfigSchema } from '../../src/shared/config/inbound-hl7.ts';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import { testProtector } from './cache-fixtures.ts';

export const LIS_AUTHORITY = 'LIS';

export async function openTestStore(dir: string, maxPageCount?: number): Promise<CacheStore> {
  return openCacheStore({ directory: dir, protector: testProtector(), ...(maxPageCount !== undefined ? { maxPageCount } : {}) });
}

export interface RunningInbound {
  listener: InboundHl7Listener;
  updated: SourcePatientRef[];
  outcomes: InboundOutcome[];
}

export async function startInbound(
  store: CacheStore,
  overrides: Record<string, unknown> = {},
  workerEntry?: string,
): Promise<RunningInbound> {
  const config = InboundHl7ConfigSchema.parse({
    enabled: true,
    port: 0,
    sourceId: 'lis',
    sourceName: '检验科 LIS',
    patientIdAuthority: LIS_AUTHORITY,
    ...overrides,
  });
  const updated: SourcePatientRef[] = [];
  const outcomes: InboundOutcome[] = [];
  const listener = await startInboundHl7Listener({
    config,
    store,
    onPatientUpdated: (ref) => updated.push(ref),
    onOutcome: (o) => outcomes.push(o),
    ...(workerEntry ? { workerEntry } : {}),
  });
  return { listener, updated, outcomes };
}

/** A plain MLLP peer: writes bytes as told, collects whole frames it receives. */
export class RawMllpSender {
  readonly #socket: Socket;
  readonly #decoder = new MllpDecoder();
  readonly #frames: Uint8Array[] = [];
  readonly #waiters: ((frame: Uint8Array) => void)[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.#decoder.push(chunk)) {
        const waiter = this.#waiters.shift();
        if (waiter) waiter(frame);
        else this.#frames.push(frame);
      }
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawMllpSender> {
    const socket = connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawMllpSender(socket);
  }

  async write(bytes: Uint8Array): Promise<void> {
    await new Promise<void>((resolve, reject) => this.#socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** Writes one byte per socket write (and per event-loop turn), the worst chunking there is. */
  async writeByteByByte(bytes: Uint8Array): Promise<void> {
    this.#socket.setNoDelay(true);
    for (let i = 0; i < bytes.length; i++) {
      await this.write(bytes.subarray(i, i + 1));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  // A hang guard, not a deadline under test: 5 s failed with two test files on two cores at load 30
  // (the listener stores before it acknowledges, and its conversion runs in a worker thread).
  nextFrame(timeoutMs = 30_000): Promise<Uint8Array> {
    const ready = this.#frames.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push((frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  /** Sends one message and waits for its ACK, decoded as `charset`. */
  async exchange(text: string, charset = 'utf-8'): Promise<string> {
    await this.write(frameMllp(encode(text, charset)));
    return decode(await this.nextFrame(), charset);
  }

  close(): void {
    this.#socket.destroy();
  }
}

export function encode(text: string, charset = 'utf-8'): Uint8Array {
  if (charset === 'utf-8') return new TextEncoder().encode(text);
  return new Uint8Array(iconv.encode(text, charset));
}

export function decode(bytes: Uint8Array, charset = 'utf-8'): string {
  return charset === 'utf-8' ? new TextDecoder().decode(bytes) : iconv.decode(Buffer.from(bytes), charset);
}

/** A field of an ACK's segment: `field(ack, 'MSA', 1)`. */
export function field(message: string, segment: string, n: number): string {
  const line = message.split('\r').find((l) => l.startsWith(`${segment}|`));
  if (!line) return '';
  const parts = line.split('|');
  return (segment === 'MSH' ? ['MSH', '|', ...parts.slice(1)] : parts)[n] ?? '';
}

export interface PushOptions {
  controlId: string;
  mrn?: string;
  charsetLabel?: string;
  sendingApplication?: string;
  sendingFacility?: string;
  /** MSH-15/MSH-16 for enhanced acknowledgment mode. */
  acceptAck?: string;
  applicationAck?: string;
}

function msh(type: string, o: PushOptions): string {
  const fields = [
    'MSH',
    '^~\\&',
    o.sendingApplication ?? 'LIS',
    o.sendingFacility ?? 'HOSP',
    'HUIZHEN',
    'WARD3',
    '20250301101500+0800',
    '',
    type,
    o.controlId,
    'P',
    '2.5',
    '',
    '',
    o.acceptAck ?? '',
    o.applicationAck ?? '',
    '',
    o.charsetLabel ?? 'UNICODE UTF-8',
  ];
  return fields.join('|').replace(/\|+$/, '');
}

const pid = (mrn: string, name: string): string =>
  `PID|1||${mrn}^^^${LIS_AUTHORITY}^MR~110105199001011234^^^CN-RID^NNCHN||${name}^^^^^^L^I||19900101|F`;

/** An unsolicited result: one report with a glucose and a potassium result. */
export function oruR01(o: PushOptions & { glucose?: string; name?: string }): string {
  const mrn = o.mrn ?? 'L202500001';
  return [
    msh('ORU^R01^ORU_R01', o),
    pid(mrn, o.name ?? '张^伟'),
    'PV1|1|O|内分泌科门诊',
    'ORC|RE|P1001|F2001',
    'OBR|1|P1001|F2001|GLU-K^血糖血钾^L|||20250301080000+0800|||||||||||||||20250301100000+0800|||F',
    `OBX|1|NM|2345-7^葡萄糖^LN||${o.glucose ?? '6.1'}|mmol/L|3.9-6.1|N|||F|||20250301093000+0800`,
    'OBX|2|NM|2823-3^钾^LN||4.2|mmol/L|3.5-5.3|N|||F|||20250301093000+0800',
    '',
  ].join('\r');
}

/** ADT^A08 (update patient information): a new phone number and address. */
export function adtA08(o: PushOptions & { name?: string; phone?: string }): string {
  const mrn = o.mrn ?? 'L202500001';
  return [
    msh('ADT^A08^ADT_A01', o),
    'EVN|A08|20250301110000+0800',
    `${pid(mrn, o.name ?? '张^伟')}|||北京市朝阳区建国路1号^^北京^北京^100022^CHN^H||^PRN^CP^^^^^^^^^${o.phone ?? '13800000000'}`,
    'PV1|1|I|内科^301^2',
    '',
  ].join('\r');
}

/** ADT^A40 (merge patient): `priorMrn` is merged into `mrn`. */
export function adtA40(o: PushOptions & { priorMrn: string }): string {
  const mrn = o.mrn ?? 'L202500001';
  return [msh('ADT^A40^ADT_A39', o), 'EVN|A40|20250301120000+0800', pid(mrn, '张^伟'), `MRG|${o.priorMrn}^^^${LIS_AUTHORITY}^MR`, ''].join(
    '\r',
  );
}

/**
 * An ORU^R01 with one report of `results` OBX (≈ 42 bytes each: 40,000 make ≈ 1.7 MB, the size
 * issue 13 measured), an NTE after every tenth: what once made conversion quadratic.
 */
export function hugeOru(o: PushOptions & { results: number }): string {
  const lines = [
    msh('ORU^R01^ORU_R01', o),
    pid(o.mrn ?? 'L202500001', '张^伟'),
    'ORC|RE|P9001|F9001',
    'OBR|1|P9001|F9001|PANEL^Panel^L|||20250301080000+0800|||||||||||||||20250301100000+0800|||F',
  ];
  for (let i = 1; i <= o.results; i++) {
    lines.push(`OBX|${i}|NM|GLU^Glu^L||${(i % 90) / 10 + 3}|mmol/L|||||F`);
    if (i % 10 === 0) lines.push(`NTE|1||n${i}`);
  }
  return `${lines.join('\r')}\r`;
}
