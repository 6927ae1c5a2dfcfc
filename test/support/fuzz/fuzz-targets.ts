/**
 * The three formats a hospital system can push at the workstation, each as a fuzz target: how a
 * hostile input is made from real seed messages, and every reader of that format run on it.
 * A target's `run` lets the format's typed errors pass (that is the contract: "never throw raw
 * exceptions at callers") and throws anything else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertCdaToBundle, isCdaError } from '../../../src/adapters/cda/index.ts';
import { parseXml, rootElement } from '../../../src/adapters/xml/index.ts';
import { convertHl7v2ToBundle, isHl7ParseError, readHl7Batch } from '../../../src/adapters/hl7v2/index.ts';
import { convertHl7v3ToBundle, isHl7v3MessageError } from '../../../src/adapters/hl7v3/index.ts';
import {
  buildDocumentListResponse,
  buildDocumentRetrieveResponse,
  readDocumentList,
  readRetrievedDocument,
} from '../../../src/adapters/hl7v3/document-messages.ts';
import { readPdqResponse } from '../../../src/adapters/hl7v3/pdq-response.ts';
import { buildEnvelope, faultXml, readEnvelope } from '../../../src/adapters/hl7v3/soap-envelope.ts';
import { isSourceError } from '../../../src/adapters/source-error.ts';
import type { Element } from '@xmldom/xmldom';
import { hl7v2Mutations, joinHostile, segmentsOf } from './hl7v2-mutations.ts';
import type { Random } from './random.ts';
import { encodeHostile, xmlMutations, type MutationLimits } from './xml-mutations.ts';

export type FuzzTargetName = 'hl7v2' | 'hl7v3' | 'cda';

export interface FuzzCase {
  bytes: Uint8Array;
  /** What was done to which seed, for the report. */
  note: string;
}

export interface FuzzTarget {
  name: FuzzTargetName;
  seeds: number;
  generate(r: Random, limits: MutationLimits): FuzzCase;
  /**
   * The ways the workstation reads one input of this format (the CLI's convert, the adapter's
   * reading of a SOAP answer…), each timed on its own: the budget is per path, as a message is
   * read by one of them. A path throws only errors that are not the format's typed ones.
   */
  paths: readonly FuzzPath[];
}

export interface FuzzPath {
  name: string;
  run(bytes: Uint8Array): void;
}

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');

function typedOnly(isTyped: (error: unknown) => boolean, step: () => unknown): void {
  try {
    step();
  } catch (error) {
    if (!isTyped(error)) throw error;
  }
}

function xmlTarget(name: 'hl7v3' | 'cda', seeds: { name: string; text: string }[], paths: FuzzPath[]): FuzzTarget {
  const mutations = xmlMutations(seeds.map((s) => s.text));
  return {
    name,
    seeds: seeds.length,
    generate(r, limits) {
      const seed = r.pick(seeds);
      let text = seed.text;
      const notes = [seed.name];
      const rounds = r.chance(0.1) ? 0 : 1 + r.int(3);
      for (let i = 0; i < rounds; i++) {
        const [, mutate] = r.pick(mutations);
        const mutated = mutate(text, r, limits);
        text = mutated.text;
        notes.push(mutated.note);
      }
      const encoded = encodeHostile(text, r);
      if (encoded.note) notes.push(encoded.note);
      return { bytes: encoded.bytes, note: notes.join(' + ') };
    },
    paths,
  };
}

// HL7 v3's own refusals (an error answer, a request, not a patient message) are typed too.
const isXmlTyped = (error: unknown) => isCdaError(error) || isSourceError(error) || isHl7v3MessageError(error);

export function cdaTarget(): FuzzTarget {
  const dir = join(fixtures, 'cda');
  const seeds = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
  return xmlTarget('cda', seeds, [{ name: 'convert', run: (bytes) => typedOnly(isCdaError, () => convertCdaToBundle(bytes)) }]);
}

/** What the HL7 v3 adapter does with a SOAP answer: the envelope, then each reader of a payload. */
function readV3Payload(payload: Element): void {
  typedOnly(isXmlTyped, () => readPdqResponse(payload));
  typedOnly(isXmlTyped, () => readDocumentList(payload));
  typedOnly(isXmlTyped, () => {
    const retrieved = readRetrievedDocument(payload);
    if (retrieved.cda) convertCdaToBundle(retrieved.cda);
  });
}

/** Real PDQ messages plus the document query/retrieve answers the platform sends, in SOAP 1.1 and 1.2. */
function hl7v3Seeds(): { name: string; text: string }[] {
  const dir = join(fixtures, 'hl7v3');
  const real = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
  const wrapper = {
    messageRoot: '2.16.156.10011.0.1',
    messageId: 'M1',
    creationTime: new Date('2025-06-30T10:00:00+08:00'),
    senderDevice: '2.16.156.10011.0.1.1',
    receiverDevice: '2.16.156.10011.0.1.2',
  };
  const ack = { typeCode: 'AA' as const, targetMessage: { root: '2.16.156.10011.0.1', extension: 'Q1' } };
  const listing = {
    id: { root: '2.16.156.10011.1.1', extension: 'DOC-1' },
    code: { code: 'C0053', codeSystem: '2.16.156.10011.2.4', displayName: '出院小结' },
    title: '出院小结',
    effectiveTime: '20250630100000+0800',
  };
  const cda = readFileSync(join(fixtures, 'cda', 'ccda-discharge-summary.xml'), 'utf8').replace(/^\s*<\?xml[^>]*\?>/, '');
  const list = buildDocumentListResponse(
    wrapper,
    ack,
    { root: '2.16.156.10011.0.1', extension: 'Q1' },
    [listing, { ...listing, id: { root: listing.id.root, extension: 'DOC-2' } }],
    'OK',
  );
  const retrieve = buildDocumentRetrieveResponse(wrapper, ack, { ...listing, cda });
  const inline = retrieve.replace(
    /<text mediaType="text\/xml" representation="B64">[^<]*<\/text>/,
    `<text mediaType="text/xml">${cda}</text>`,
  );
  const envelope = (version: '1.1' | '1.2', body: string) =>
    buildEnvelope({ version, action: 'urn:hl7-org:v3:Response', messageId: 'urn:uuid:1', relatesTo: 'urn:uuid:0', body });
  return [
    ...real,
    { name: 'document-list (SOAP 1.2)', text: envelope('1.2', list) },
    { name: 'document-retrieve B64 (SOAP 1.1)', text: envelope('1.1', retrieve) },
    { name: 'document-retrieve inline (SOAP 1.2)', text: envelope('1.2', inline) },
    { name: 'fault (SOAP 1.1)', text: envelope('1.1', faultXml('1.1', { code: 'Receiver', reason: '服务不可用' })) },
  ];
}

export function hl7v3Target(): FuzzTarget {
  return xmlTarget('hl7v3', hl7v3Seeds(), [
    // `huizhen convert hl7v3`.
    { name: 'convert', run: (bytes) => typedOnly(isXmlTyped, () => convertHl7v3ToBundle(bytes)) },
    // The adapter: the SOAP answer, then the readers of its payload (each refuses a payload not its own).
    {
      name: 'soap',
      run: (bytes) =>
        typedOnly(isXmlTyped, () => {
          const message = readEnvelope(bytes);
          if (message.kind === 'payload') readV3Payload(message.payload);
        }),
    },
    // A bare message (no envelope), as `huizhen convert hl7v3` accepts; an envelope was read above.
    {
      name: 'bare',
      run: (bytes) =>
        typedOnly(isXmlTyped, () => {
          const root = rootElement(parseXml(bytes));
          if (root.localName !== 'Envelope') readV3Payload(root);
        }),
    },
  ]);
}

export function hl7v2Target(): FuzzTarget {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.hl7')) files.push(join(dir, e.name));
    }
  };
  walk(join(fixtures, 'hl7v2'));
  const seeds = files.map((f) => ({
    name: f.slice(f.lastIndexOf('/') + 1),
    segments: segmentsOf(readFileSync(f, 'utf8').replace(/^\uFEFF/, '')),
  }));
  return {
    name: 'hl7v2',
    seeds: seeds.length,
    generate(r, limits) {
      const seed = r.pick(seeds);
      let segments = seed.segments;
      const notes = [seed.name];
      const rounds = r.chance(0.1) ? 0 : 1 + r.int(3);
      for (let i = 0; i < rounds; i++) {
        const [, mutate] = r.pick(hl7v2Mutations);
        const mutated = mutate(segments, r, limits);
        segments = mutated.segments;
        notes.push(mutated.note);
      }
      const encoded = joinHostile(segments, r);
      if (encoded.note) notes.push(encoded.note);
      return { bytes: encoded.bytes, note: notes.join(' + ') };
    },
    paths: [
      { name: 'read', run: (bytes) => typedOnly(isHl7ParseError, () => readHl7Batch(bytes)) },
      // `huizhen convert hl7v2` and the inbound listener's conversion.
      { name: 'convert', run: (bytes) => typedOnly(isHl7ParseError, () => convertHl7v2ToBundle(bytes)) },
    ],
  };
}

export const FUZZ_TARGETS: Readonly<Record<FuzzTargetName, () => FuzzTarget>> = { hl7v2: hl7v2Target, hl7v3: hl7v3Target, cda: cdaTarget };
