/** OperationOutcome bodies for the server's own errors (Medplum builds those of the router). */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

const ISSUE_CODE_BY_STATUS: Record<number, OperationOutcomeIssue['code']> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  410: 'deleted',
  429: 'throttled',
  500: 'exception',
  503: 'transient',
};

export function errorOutcome(status: number, diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: ISSUE_CODE_BY_STATUS[status] ?? 'processing', diagnostics, details: { text: diagnostics } }],
  };
}
