import { createContext, useContext, type ReactNode } from 'react';

/** The resource types a report can be (imaging-report-link.ts's REPORT_TYPES). */
const REPORT_TYPES = new Set(['DiagnosticReport', 'DocumentReference', 'Composition']);

const WithheldReports = createContext<readonly string[]>([]);

/**
 * The report types the role withholds from this record (a radiologist does not read documents,
 * so the platform's CDA 检查报告 never reaches the screen): the side panel must not then say a
 * study has no report, only that the reports it may not see are not listed.
 */
export function WithheldReportsProvider({
  withheldTypes,
  children,
}: {
  withheldTypes: readonly string[] | undefined;
  children: ReactNode;
}) {
  const reports = (withheldTypes ?? []).filter((t) => REPORT_TYPES.has(t));
  return <WithheldReports.Provider value={reports}>{children}</WithheldReports.Provider>;
}

export function useWithheldReports(): readonly string[] {
  return useContext(WithheldReports);
}
