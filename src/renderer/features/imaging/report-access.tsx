import { createContext, useContext, type ReactNode } from 'react';

const WithheldReports = createContext<readonly string[]>([]);

/**
 * The report types the role withholds from this record that name an imaging study (main decides
 * which entries those are): the side panel must not then say a study has no report, only that
 * the reports it may not see are not listed. Documents that are not a study's report never count.
 */
export function WithheldReportsProvider({
  withheldStudyReportTypes,
  children,
}: {
  withheldStudyReportTypes: readonly string[] | undefined;
  children: ReactNode;
}) {
  return <WithheldReports.Provider value={withheldStudyReportTypes ?? []}>{children}</WithheldReports.Provider>;
}

export function useWithheldReports(): readonly string[] {
  return useContext(WithheldReports);
}
