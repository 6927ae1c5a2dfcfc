/**
 * What hospital IT should check when a system answered but not as its protocol's endpoint: the
 * configured URL is the usual culprit (the server's home page, the WSDL, a base URL one path
 * segment short). Worded here, in the CLI, from the probe's problem code.
 */
import type { ProbeProblem } from '../../adapters/source-adapter.ts';
import type { SourceConfig } from '../../shared/config/schema.ts';

function urlOf(source: SourceConfig): string | undefined {
  if (source.kind === 'fhir' || source.kind === 'dicomweb') return source.baseUrl.replace(/\/+$/, '');
  if (source.kind === 'hl7v3') return source.endpoint;
  return undefined;
}

export function probeHint(source: SourceConfig, problem: ProbeProblem, status: number | undefined): string | undefined {
  const url = urlOf(source);
  if (problem === 'error-answer') {
    return status !== undefined && status >= 500
      ? 'the server failed; ask its administrators, then check again'
      : 'the system refused or failed the request; its own text is above';
  }
  const what =
    problem === 'endpoint-not-found' ? `HTTP ${status ?? 404}: nothing there` : 'the answer is not the protocol (an HTML or other page?)';
  switch (source.kind) {
    case 'fhir':
      return `${what} — is the base URL the FHIR endpoint (e.g. …/fhir or …/fhir/R4)? GET ${url}/metadata must answer a CapabilityStatement`;
    case 'dicomweb':
      return `${what} — is the base URL the DICOMweb root (e.g. …/dicom-web, …/dcm4chee-arc/aets/DCM4CHEE/rs)? GET ${url}/studies must answer QIDO-RS JSON`;
    case 'hl7v3':
      return `${what} — is the endpoint the platform's SOAP service itself (e.g. …/services/PIXPDQ), not its WSDL or a web page? POST ${url} must answer a SOAP envelope`;
    default:
      return undefined;
  }
}
