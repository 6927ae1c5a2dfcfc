/**
 * Starts the embedded demo hospital: today its CDR (FHIR R4); later MLLP, SOAP and PACS systems
 * join the `systems` list and the config's sources.
 */
import type { HuizhenConfigInput } from '../shared/config/schema.ts';
import { startFhirServer, type DemoFhirServer } from './fhir-server/fhir-server.ts';
import type { FaultSettings } from './fhir-server/fault-injection.ts';
import { generateSyntheticHospital, type SyntheticHospital } from './synthetic/synthetic-hospital.ts';

export const DEMO_HOSPITAL_NAME = '汇诊示范医院 Demo Hospital';
export const CDR_SOURCE_ID = 'cdr';

export interface DemoHospitalOptions {
  seed?: number;
  fhir?: Partial<FaultSettings> & {
    /** Offer Patient/$everything (default true). */
    offerEverything?: boolean;
    /** Fixed port for manual use; tests leave it at 0. */
    port?: number;
  };
  /** Extra lab Observations for the demo patient (benchmarks). */
  extraObservations?: number;
}

/** One running simulated system, as the hospital lists and stops it. */
export interface StartedSystem {
  id: string;
  name: string;
  protocol: 'fhir' | 'hl7v2' | 'hl7v3' | 'dicomweb';
  url: string;
  stop(): Promise<void>;
}

export interface DemoHospital {
  fhirBaseUrl: string;
  config: HuizhenConfigInput;
  systems: readonly StartedSystem[];
  /** Direct handles for tests: fault knobs, received requests. */
  fhir: DemoFhirServer;
  data: SyntheticHospital;
  stop(): Promise<void>;
}

export async function startDemoHospital(options: DemoHospitalOptions = {}): Promise<DemoHospital> {
  const data = generateSyntheticHospital({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.extraObservations !== undefined ? { extraObservations: options.extraObservations } : {}),
  });
  const { offerEverything, port, ...faults } = options.fhir ?? {};
  const fhir = await startFhirServer({
    resources: data.resources,
    faults,
    ...(offerEverything !== undefined ? { offerEverything } : {}),
    ...(port !== undefined ? { port } : {}),
  });
  const systems: StartedSystem[] = [{ id: CDR_SOURCE_ID, name: 'CDR (FHIR R4)', protocol: 'fhir', url: fhir.baseUrl, stop: () => fhir.stop() }];

  let stopped: Promise<void> | undefined;
  return {
    fhirBaseUrl: fhir.baseUrl,
    config: {
      hospital: DEMO_HOSPITAL_NAME,
      sources: [{ id: CDR_SOURCE_ID, name: 'CDR (FHIR R4)', kind: 'fhir', baseUrl: fhir.baseUrl }],
    },
    systems,
    fhir,
    data,
    stop() {
      // Idempotent: signal handlers and test teardown may both call it.
      stopped ??= Promise.all(systems.map((s) => s.stop())).then(() => undefined);
      return stopped;
    },
  };
}
