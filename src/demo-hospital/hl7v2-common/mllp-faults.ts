/**
 * The FHIR server's fault knobs, in MLLP terms: delay, NAK (AE or AR) at a rate, hang (accept
 * and never answer), and drop (close the connection on receipt).
 */
import { createPrng, type Prng } from '../synthetic/prng.ts';

export interface MllpFaultSettings {
  /** Added before every answer. */
  delayMs: number;
  /** Share of messages (0..1) answered with a NAK instead of their real answer. */
  errorRate: number;
  /** AE: the request was refused; AR: the system rejects it for now (retry may help). */
  nakCode: 'AE' | 'AR';
  /** Accept the message and never answer (until the listener stops). */
  hang: boolean;
  /** Close the connection as soon as a message arrives. */
  drop: boolean;
}

export const NO_MLLP_FAULTS: MllpFaultSettings = { delayMs: 0, errorRate: 0, nakCode: 'AR', hang: false, drop: false };

export type MllpFaultDecision = { kind: 'hang' } | { kind: 'drop' } | { kind: 'nak'; code: 'AE' | 'AR' } | { kind: 'pass' };

export class MllpFaultInjector {
  #settings: MllpFaultSettings;
  readonly #prng: Prng;

  /** Seeded, so an error rate of 0.3 fails the same messages on every run. */
  constructor(initial: Partial<MllpFaultSettings> = {}, seed = 1) {
    this.#settings = { ...NO_MLLP_FAULTS, ...initial };
    this.#prng = createPrng(seed);
  }

  get settings(): Readonly<MllpFaultSettings> {
    return this.#settings;
  }

  set(changes: Partial<MllpFaultSettings>): void {
    this.#settings = { ...this.#settings, ...changes };
  }

  reset(): void {
    this.#settings = { ...NO_MLLP_FAULTS };
  }

  decide(): MllpFaultDecision {
    const s = this.#settings;
    if (s.drop) return { kind: 'drop' };
    if (s.hang) return { kind: 'hang' };
    if (s.errorRate > 0 && this.#prng.next() < s.errorRate) return { kind: 'nak', code: s.nakCode };
    return { kind: 'pass' };
  }
}
