/**
 * HL7 v2 escape sequences (v2.5 §2.7). Values are stored unescaped; the encoder escapes the
 * delimiters and line breaks so `unescapeHl7(escapeHl7(s)) === s` for every string.
 */
import type { Hl7Delimiters } from './delimiters.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** \Xhh…\ carries raw bytes; read them as UTF-8 where they form it, else one byte per char. */
function decodeHexBytes(hex: string): string | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  try {
    return UTF8.decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

function decodeSequence(body: string, d: Hl7Delimiters): string | undefined {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation;
    // Highlighting on/off: a display hint, no text.
    case 'H':
    case 'N':
      return '';
    case '.br':
    case '.sp':
      return '\n';
  }
  const head = body.charAt(0);
  if (head === 'X') return decodeHexBytes(body.slice(1));
  // Formatting commands (.in, .ti, .sk, .ce, .fi, .nf), ISO 2022 charset switches (C, M) and
  // locally defined escapes (Z) change presentation only.
  if (head === '.' || head === 'C' || head === 'M' || head === 'Z') return '';
  return undefined;
}

/** Decodes escape sequences; a malformed or unknown one is kept as written (vendor tolerance). */
export function unescapeHl7(value: string, d: Hl7Delimiters): string {
  const esc = d.escape;
  if (!esc || !value.includes(esc)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf(esc, i);
    if (start < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, start);
    const end = value.indexOf(esc, start + 1);
    if (end < 0) {
      out += value.slice(start);
      break;
    }
    const decoded = decodeSequence(value.slice(start + 1, end), d);
    if (decoded === undefined) {
      // Keep the escape character literally and carry on after it.
      out += esc;
      i = start + 1;
    } else {
      out += decoded;
      i = end + 1;
    }
  }
  return out;
}

/** Escapes one value (a leaf: subcomponent or plain component) for writing into a message. */
export function escapeHl7(value: string, d: Hl7Delimiters): string {
  let out = '';
  for (const ch of value) {
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (d.truncation !== undefined && ch === d.truncation) out += `${d.escape}P${d.escape}`;
    // A raw CR or LF would end the segment.
    else if (ch === '\r') out += `${d.escape}X0D${d.escape}`;
    else if (ch === '\n') out += `${d.escape}X0A${d.escape}`;
    else out += ch;
  }
  return out;
}
