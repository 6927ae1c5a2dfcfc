/**
 * The demo hospital's integration platform (HL7 v3 over SOAP): start it, and the source entry
 * the workstation needs to talk to it.
 */
import type { Hl7v3SourceConfigInput } from '../../shared/config/sources/hl7v3.ts';
import { HUIZHEN_DEVICE_ID, PLATFORM_DEVICE_ID, PLATFORM_EMPI_ROOT, PLATFORM_RESIDENT_ID_ROOT } from './platform-patients.ts';

export { startPlatformSoap, type PlatformSoap, type PlatformSoapOptions, type ReceivedSoapRequest } from './platform-server.ts';
export { PlatformFaults, type PlatformFaultSettings, type SoapFaultSettings } from './platform-faults.ts';
export { DEMO_PLATFORM_PATIENT, PLATFORM_EMPI_ROOT, PLATFORM_DEVICE_ID, HUIZHEN_DEVICE_ID, platformIdFor } from './platform-patients.ts';
export { documentsFor, type PlatformDocument } from './cda-documents.ts';

export const PLATFORM_SOURCE_ID = 'emr-platform';
export const PLATFORM_SOURCE_NAME = '集成平台 EMR (HL7 v3)';

/** The source config for the demo platform at `url`, for the demo hospital's config list. */
export function platformSourceConfig(url: string, soapVersion: '1.1' | '1.2' = '1.2'): Hl7v3SourceConfigInput {
  return {
    id: PLATFORM_SOURCE_ID,
    name: PLATFORM_SOURCE_NAME,
    kind: 'hl7v3',
    endpoint: url,
    soapVersion,
    senderDeviceId: HUIZHEN_DEVICE_ID,
    receiverDeviceId: PLATFORM_DEVICE_ID,
    patientIdRoot: PLATFORM_EMPI_ROOT,
    residentIdRoot: PLATFORM_RESIDENT_ID_ROOT,
    services: ['pdq', 'documents'],
  };
}
