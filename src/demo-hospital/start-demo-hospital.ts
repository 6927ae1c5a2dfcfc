/**
 * Starts the embedded demo hospital: its CDR (FHIR R4) and, when asked and installed, its PACS
 * (Orthanc + DICOMweb); the HIS/LIS (MLLP) and integration platform (SOAP) join the same way:
 * each started system is listed in `systems` and configured in `config.sources`.
 */
import type { HuizhenConfigInput } from '../shared/config/schema.ts';
import { startFhirServer, type DemoFhirServer } from './fhir-server/fhir-server.ts';
import type { FaultSettings } from './fhir-server/fault-injection.ts';
import { generateSyntheticHospital, type SyntheticHospital } from './synthetic/synthetic-hospital.ts';
import { isDemoPacsUnavailable, startDemoPacs, type DemoPacs } from './pacs/index.ts';
import { hisMllpSourceConfig, startHisMllp, type DemoHisMllp } from './his-mllp/his-mllp.ts';
import { lisMllpSourceConfig, startLisMllp, type DemoLisMllp } from './lis-mllp/lis-mllp.ts';
import { HIS_MRN_SYSTEM, LIS_MRN_SYSTEM } from './hl7v2-common/demo-identities.ts';
import { PLATFORM_EMPI_ROOT, platformSourceConfig, startPlatformSoap, type PlatformSoap } from './platform-soap/index.ts';
import { CDR_MRN_SYSTEM } from './synthetic/demo-patient.ts';
import type { SeedProfile } from './pacs/seed-plan.ts';
import { badDataSet, type BadDataSet } from './bad-data/injected-defects.ts';
import { DEMO_CLIENT_ID, demoLocalAccounts, startDemoIdentityProvider, type DemoIdentityProvider } from './identity-provider/index.ts';
import { DEMO_DEAD_LETTER_EXCHANGE, isDemoBrokerUnavailable, startDemoBroker, type DemoBroker } from './broker/index.ts';

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
  /** Put today's inpatients on the wards (the worklist's census; synthetic/ward-census.ts). */
  wardCensus?: boolean;
  /**
   * How the workstation is configured to ask the census: `his` adds "census" to the HIS's services
   * (IHE ITI-22; the demo HIS always answers it), `fhir` the CDR's census form (default "encounter").
   */
  censusConfig?: { his?: boolean; fhir?: 'encounter' | 'location' | 'group' };
  /** Start the PACS (Orthanc): 'full' for the workstation (200-slice CTs), 'small' for tests; off by default. */
  pacs?: SeedProfile | false;
  /** Start the message broker (RabbitMQ) publishing ward events every `intervalMs` (default 4000); off by default. */
  broker?: boolean | { intervalMs?: number };
  /**
   * Bad-data mode: extra CDR patients (MRNs DQ-…) whose records carry known defects — unmapped
   * local codes, non-UCUM units labelled UCUM, implausible values, numbers sent as text, wrong
   * 身份证 check digits, birth date and sex the 身份证 contradicts, missing and future times, a
   * duplicate id — listed in `badData.manifest`; the same defects for the same seed.
   */
  badData?: boolean | { seed?: number };
  /** Start the identity provider (OIDC) too; the local accounts are configured either way. */
  identityProvider?: boolean;
  /** Told before each step that can take seconds (drawing and storing the PACS's images). */
  onProgress?: (line: string) => void;
}

/** One running simulated system, as the hospital lists and stops it. */
export interface StartedSystem {
  id: string;
  name: string;
  protocol: 'fhir' | 'hl7v2' | 'hl7v3' | 'dicomweb' | 'oidc' | 'amqp';
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
  /** The PACS when it was asked for and could start. */
  pacs?: DemoPacs;
  his: DemoHisMllp;
  lis: DemoLisMllp;
  platform: PlatformSoap;
  /** The message broker when it was asked for and could start. */
  broker?: DemoBroker;
  /** The hospital's OpenID Connect provider, when asked for. */
  idp?: DemoIdentityProvider;
  /** The bad-data mode's patients and the manifest of its injected defects, when asked for. */
  badData?: BadDataSet;
  /** One line per system that was asked for but could not start (e.g. "no PACS: …"). */
  notices: string[];
  stop(): Promise<void>;
}

export async function startDemoHospital(options: DemoHospitalOptions = {}): Promise<DemoHospital> {
  const data = generateSyntheticHospital({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.extraObservations !== undefined ? { extraObservations: options.extraObservations } : {}),
    ...(options.wardCensus ? { wardCensusAsOf: Date.now() } : {}),
  });
  const { offerEverything, port, ...faults } = options.fhir ?? {};
  const badData = options.badData ? badDataSet(options.badData === true ? undefined : options.badData.seed) : undefined;
  const fhir = await startFhirServer({
    resources: badData ? [...data.resources, ...badData.resources] : data.resources,
    ...(badData ? { everythingExtras: badData.everythingExtras } : {}),
    faults,
    ...(offerEverything !== undefined ? { offerEverything } : {}),
    ...(port !== undefined ? { port } : {}),
  });
  const systems: StartedSystem[] = [
    { id: CDR_SOURCE_ID, name: 'CDR (FHIR R4)', protocol: 'fhir', url: fhir.baseUrl, stop: () => fhir.stop() },
  ];
  const sources: HuizhenConfigInput['sources'] = [
    {
      id: CDR_SOURCE_ID,
      name: 'CDR (FHIR R4)',
      kind: 'fhir',
      baseUrl: fhir.baseUrl,
      patientIdSystem: CDR_MRN_SYSTEM,
      ...(options.censusConfig?.fhir ? { census: { form: options.censusConfig.fhir } } : {}),
    },
  ];
  const notices: string[] = [];

  const [his, lis, platform] = await Promise.all([startHisMllp(data), startLisMllp(data), startPlatformSoap(data)]);
  const hisConfig = hisMllpSourceConfig(his, { census: options.censusConfig?.his === true });
  const lisConfig = lisMllpSourceConfig(lis);
  const platformConfig = platformSourceConfig(platform.url);
  systems.push(
    { id: hisConfig.id, name: hisConfig.name, protocol: 'hl7v2', url: `mllp://${his.host}:${his.port}`, stop: () => his.stop() },
    { id: lisConfig.id, name: lisConfig.name, protocol: 'hl7v2', url: `mllp://${lis.host}:${lis.port}`, stop: () => lis.stop() },
    { id: platformConfig.id, name: platformConfig.name, protocol: 'hl7v3', url: platform.url, stop: () => platform.stop() },
  );
  sources.push(
    { ...hisConfig, patientIdSystem: HIS_MRN_SYSTEM },
    { ...lisConfig, patientIdSystem: LIS_MRN_SYSTEM },
    { ...platformConfig, patientIdSystem: `urn:oid:${PLATFORM_EMPI_ROOT}` },
  );

  // The PACS (Orthanc), the broker (RabbitMQ, an Erlang VM) and the IdP start side by side: each
  // takes seconds on its own, and a first start should wait for the slowest, not for their sum.
  const intervalMs = options.broker === true ? 4000 : options.broker ? (options.broker.intervalMs ?? 4000) : 0;
  const [pacsStart, brokerStart, idpStart] = await Promise.allSettled([
    options.pacs
      ? startDemoPacs(data, { profile: options.pacs, ...(options.onProgress ? { onProgress: options.onProgress } : {}) })
      : undefined,
    options.broker ? startDemoBroker(data, { intervalMs, ...(options.onProgress ? { log: options.onProgress } : {}) }) : undefined,
    options.identityProvider ? startDemoIdentityProvider() : undefined,
  ]);
  const failedStart = [pacsStart, brokerStart, idpStart].find((r) => r.status === 'rejected');
  if (failedStart) {
    await Promise.all(
      [pacsStart, brokerStart, idpStart].map((r) =>
        r.status === 'fulfilled' && r.value && 'stop' in r.value ? r.value.stop().catch(() => {}) : undefined,
      ),
    );
    await Promise.all(systems.map((s) => s.stop().catch(() => {})));
    throw failedStart.reason;
  }

  let pacs: DemoPacs | undefined;
  const pacsStarted = pacsStart.status === 'fulfilled' ? pacsStart.value : undefined;
  if (pacsStarted) {
    const started = pacsStarted;
    if (isDemoPacsUnavailable(started)) {
      notices.push(`no PACS: ${started.unavailable}`);
    } else {
      pacs = started;
      systems.push({
        id: started.sourceConfig.id,
        name: started.sourceConfig.name,
        protocol: 'dicomweb',
        url: started.dicomwebBaseUrl,
        stop: () => started.stop(),
      });
      sources.push(started.sourceConfig);
    }
  }

  let broker: DemoBroker | undefined;
  const brokerStarted = brokerStart.status === 'fulfilled' ? brokerStart.value : undefined;
  if (brokerStarted) {
    const started = brokerStarted;
    if (isDemoBrokerUnavailable(started)) notices.push(`broker off: ${started.unavailable}`);
    else {
      broker = started;
      systems.push({
        id: 'broker',
        name: '消息中间件 Message broker (RabbitMQ)',
        protocol: 'amqp',
        url: started.url,
        stop: () => started.stop(),
      });
    }
  }

  const idp = idpStart.status === 'fulfilled' ? idpStart.value : undefined;
  if (idp)
    systems.push({ id: 'idp', name: '统一身份认证 Identity provider (OIDC)', protocol: 'oidc', url: idp.issuer, stop: () => idp.stop() });

  let stopped: Promise<void> | undefined;
  return {
    fhirBaseUrl: fhir.baseUrl,
    config: {
      hospital: DEMO_HOSPITAL_NAME,
      sources,
      // The demo staff (password "huizhen-demo") as local accounts, and at the IdP when it runs.
      auth: { localAccounts: demoLocalAccounts(), ...(idp ? { oidc: { issuer: idp.issuer, clientId: DEMO_CLIENT_ID } } : {}) },
      // The synthetic records end in 2025: a ten-year care window keeps the demo stays "recent".
      access: { careWindowDays: 3650 },
      // The ward events of the demo broker, stored as the HIS's records; wards follow the signed-in user.
      ...(broker
        ? {
            broker: {
              enabled: true,
              url: broker.url,
              password: 'guest',
              exchange: broker.exchange,
              deadLetterExchange: DEMO_DEAD_LETTER_EXCHANGE,
              hl7SourceId: hisConfig.id,
            },
          }
        : {}),
    },
    systems,
    fhir,
    data,
    ...(pacs ? { pacs } : {}),
    his,
    lis,
    platform,
    ...(idp ? { idp } : {}),
    ...(broker ? { broker } : {}),
    ...(badData ? { badData } : {}),
    notices,
    stop() {
      // Idempotent: signal handlers and test teardown may both call it.
      stopped ??= Promise.all(systems.map((s) => s.stop())).then(() => undefined);
      return stopped;
    },
  };
}
