/**
 * The platform's fault knobs: the HTTP-level ones every simulated system has (delay, hang, error
 * status, corrupt body — FaultInjector) plus what only a SOAP/HL7 v3 service can get wrong: a
 * SOAP fault (Sender or Receiver) or an HL7 acknowledgement AE/AR with detail text.
 */
import { FaultInjector, type FaultDecision, type FaultSettings } from '../fhir-server/fault-injection.ts';

export interface SoapFaultSettings {
  /** Answer every request with this SOAP fault. */
  soapFault?: { code: 'Sender' | 'Receiver'; reason: string };
  /**
   * Answer with an acknowledgement of this type (and no results) instead of AA: written as the
   * normative element or as the attribute 互联互通 platforms use, in the expected response or,
   * as many platforms do on failure, in a bare MCCI_IN000002UV01.
   */
  acknowledgement?: { typeCode: 'AE' | 'AR'; text: string; style?: 'element' | 'attribute'; bare?: boolean };
  /**
   * Answer AA with the results, but partly: a warning detail (acknowledgementDetail typeCode W) on
   * every answer, and/or one more patient in each PDQ answer without the person the adapter must skip.
   */
  answerWarning?: { detail?: { code: string; text: string }; patientWithoutPerson?: boolean };
}

export type PlatformFaultSettings = FaultSettings & SoapFaultSettings;

export class PlatformFaults {
  readonly #http: FaultInjector;
  #soap: SoapFaultSettings = {};

  constructor(initial: Partial<PlatformFaultSettings> = {}, seed = 1) {
    const { soapFault, acknowledgement, answerWarning, ...http } = initial;
    this.#http = new FaultInjector(http, seed);
    this.#soap = {
      ...(soapFault ? { soapFault } : {}),
      ...(acknowledgement ? { acknowledgement } : {}),
      ...(answerWarning ? { answerWarning } : {}),
    };
  }

  get settings(): Readonly<PlatformFaultSettings> {
    return { ...this.#http.settings, ...this.#soap };
  }

  /** Merge new values in; pass `soapFault: undefined` to clear one knob, or call reset(). */
  set(changes: Partial<PlatformFaultSettings>): void {
    const { soapFault, acknowledgement, answerWarning, ...http } = changes;
    this.#http.set(http);
    if ('soapFault' in changes) this.#soap = { ...this.#soap, soapFault };
    if ('acknowledgement' in changes) this.#soap = { ...this.#soap, acknowledgement };
    if ('answerWarning' in changes) this.#soap = { ...this.#soap, answerWarning };
  }

  reset(): void {
    this.#http.reset();
    this.#soap = {};
  }

  decide(): FaultDecision {
    return this.#http.decide();
  }
}
