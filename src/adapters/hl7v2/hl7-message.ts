/**
 * The parsed shape of an HL7 v2 message: segments of fields, each field a list of repetitions,
 * each repetition components of subcomponents, all unescaped. Field numbers follow the
 * standard (MSH-1 is the field separator, PID-3 is `pid.field(3)`).
 */
import type { Hl7Delimiters } from './delimiters.ts';
import { unescapeHl7 } from './escaping.ts';

/** One repetition of a field: components, each a list of subcomponents (1-based when read). */
export type Hl7Composite = readonly (readonly string[])[];

const EMPTY: Hl7Composite = [];

/** Component `c` (1-based), subcomponent `s` (1-based) of a composite; "" when absent. */
export function component(composite: Hl7Composite | undefined, c: number, s = 1): string {
  return composite?.[c - 1]?.[s - 1] ?? '';
}

export class Hl7Segment {
  readonly name: string;
  /** 0-based position in the parsed text (message or batch file). */
  readonly index: number;
  /** Raw (still escaped) field texts; rawFields[n] is field n, rawFields[0] the segment name. */
  readonly rawFields: readonly string[];
  readonly #delimiters: Hl7Delimiters;
  readonly #parsed = new Map<number, Hl7Composite[]>();

  constructor(name: string, index: number, rawFields: readonly string[], delimiters: Hl7Delimiters) {
    this.name = name;
    this.index = index;
    this.rawFields = rawFields;
    this.#delimiters = delimiters;
  }

  /** The message's component separator (MSH-2's first character), for text put back together. */
  get componentSeparator(): string {
    return this.#delimiters.component;
  }

  /** Number of the last field present. */
  get fieldCount(): number {
    return this.rawFields.length - 1;
  }

  /** All repetitions of field n, split and unescaped. MSH-1/MSH-2 come back unsplit. */
  repetitions(n: number): Hl7Composite[] {
    const cached = this.#parsed.get(n);
    if (cached) return cached;
    const raw = this.rawFields[n] ?? '';
    let result: Hl7Composite[];
    if (raw === '') result = [];
    else if (this.#isHeader() && (n === 1 || n === 2)) result = [[[raw]]];
    else {
      const d = this.#delimiters;
      // Most fields are one plain value: split only where a delimiter is present.
      const subs = (comp: string): string[] =>
        comp.includes(d.subcomponent) ? comp.split(d.subcomponent).map((sub) => unescapeHl7(sub, d)) : [unescapeHl7(comp, d)];
      const comps = (rep: string): string[][] => (rep.includes(d.component) ? rep.split(d.component).map(subs) : [subs(rep)]);
      result = raw.includes(d.repetition) ? raw.split(d.repetition).map(comps) : [comps(raw)];
    }
    this.#parsed.set(n, result);
    return result;
  }

  /**
   * Each repetition of a text field (ST, TX, FT, NTE-3) as one unescaped string. Senders often
   * leave "^" or "&" in free text unescaped ("血压 120^80"); those are text, not components, so
   * they are put back as written instead of everything after them being dropped.
   */
  texts(n: number): string[] {
    const d = this.#delimiters;
    return this.repetitions(n).map((rep) => {
      const comps = rep.map((subs) => subs.join(d.subcomponent));
      while (comps.length > 1 && comps[comps.length - 1] === '') comps.pop();
      return comps.join(d.component);
    });
  }

  /** One repetition (default the first) of field n as components; empty when absent. */
  composite(n: number, repetition = 0): Hl7Composite {
    return this.repetitions(n)[repetition] ?? EMPTY;
  }

  /** The value at PID-5.1.1 style coordinates (all 1-based but the repetition); "" when absent. */
  get(n: number, c = 1, s = 1, repetition = 0): string {
    return component(this.composite(n, repetition), c, s);
  }

  #isHeader(): boolean {
    return this.name === 'MSH' || this.name === 'FHS' || this.name === 'BHS';
  }
}

export class Hl7Message {
  readonly delimiters: Hl7Delimiters;
  readonly segments: readonly Hl7Segment[];

  constructor(delimiters: Hl7Delimiters, segments: readonly Hl7Segment[]) {
    this.delimiters = delimiters;
    this.segments = segments;
  }

  get msh(): Hl7Segment {
    // The parser guarantees an MSH first.
    return this.segments[0]!;
  }

  /** First segment of that name, if any. */
  segment(name: string): Hl7Segment | undefined {
    return this.segments.find((s) => s.name === name);
  }

  all(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }
}

/** One batch of a file: BHS … BTS, either of which a lenient reading may find missing. */
export interface Hl7BatchGroup {
  header?: Hl7Segment;
  trailer?: Hl7Segment;
  messages: Hl7Message[];
}

/**
 * A file (FHS {BHS … BTS} FTS), one batch, or a plain run of messages. `messages` holds every
 * message in order; `batches` the batches they came in (messages outside any batch form one
 * without header or trailer).
 */
export interface Hl7Batch {
  fileHeader?: Hl7Segment;
  fileTrailer?: Hl7Segment;
  /** The first batch's header, if any. */
  batchHeader?: Hl7Segment;
  batches: Hl7BatchGroup[];
  messages: Hl7Message[];
}

export { EMPTY as EMPTY_COMPOSITE };
