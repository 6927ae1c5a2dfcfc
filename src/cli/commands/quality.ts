import { readFile } from 'node:fs/promises';
import { qualityReport, type SourceQualityReport } from '../../main/services/data-quality/index.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { QualityFinding } from '../../shared/domain/quality.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { cliWorkstation } from '../cli-workstation.ts';
import { qualityReportText } from '../format/quality-text.ts';
import type { CliIo } from '../io.ts';
import { personFindings, QualityTally, type FailedSource, type QueryOutcome, type QueryResult } from './quality-tally.ts';
import type { CliCredentials } from './timeline.ts';

/** One query a line; blank lines and lines starting with "#" are skipped. */
export async function readPatientQueries(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new CliError(`cannot read --patients ${file}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export interface QualityRun {
  /** False when a source failed for some search or open: the counts cover only what answered. */
  complete: boolean;
  /** People checked: queries that reached the same person count once. */
  patientsChecked: number;
  /** Every query, what it reached: queries with the same `person` reached the same person. */
  queries: QueryResult[];
  /** Queries that matched no patient or several, whose search failed or whose person may not be opened: not checked, never guessed. */
  skipped: { query: string; matches: number; outcome: Exclude<QueryOutcome, 'checked'> }[];
  /** Each source that did not answer live, with why (state, error code and message, HTTP status, timeout). */
  failedSources: FailedSource[];
  /** Configured sources no search or open asked (e.g. a results-only LIS when no patient was reached): nothing is known of them. */
  notChecked: { sourceId: string; name: string }[];
  sources: (SourceQualityReport & { name: string })[];
}

/**
 * `huizhen quality`: the data-quality findings of each listed patient's record, counted per
 * source — the report hospital IT takes to each vendor before go-live. It signs in and opens
 * records through the access layer as `huizhen timeline` does: what the role may not see is not
 * checked, and every open is audited. The report holds codes and counts only, no patient data.
 * Exit 1 when any source failed for any search or open (the report is printed for what answered),
 * else 8 when a person reached may not be opened by this user, else 3 when a query was skipped, else 0.
 */
export async function quality(
  config: HuizhenConfig,
  io: CliIo,
  queries: readonly string[],
  json: boolean,
  credentials: CliCredentials,
): Promise<number> {
  const { workstation, call } = await cliWorkstation(config, io);
  try {
    await call('signInLocal', credentials);
    const tally = new QualityTally();
    for (const source of config.sources) tally.names.set(source.id, source.name);
    for (const query of queries) {
      const search = await call('searchPatients', { query });
      tally.searched(query, search.candidates, tally.sources(search.sources));
    }
    const findings: QualityFinding[] = [];
    const people = tally.people();
    let denied = false;
    for (const person of people) {
      const opened = await call('openPatient', { refs: person.refs.slice(0, 50) }).catch((error: unknown) => {
        // One person the role may not open does not hide the rest of the report (nor a source that failed).
        if (!(error instanceof CliError) || error.exitCode !== EXIT.accessDenied) throw error;
        io.err(`huizhen: person ${person.person}: ${error.message}`);
        return undefined;
      });
      if (!opened) {
        tally.denied(person.person);
        denied = true;
        continue;
      }
      tally.sources(opened.sources);
      findings.push(...personFindings(opened.entries, opened.quality ?? []));
      await call('closePatient', { viewId: opened.viewId });
    }
    const failedSources = tally.failedSources();
    const checked = people.length - new Set(tally.queries.filter((q) => q.outcome === 'access-denied').map((q) => q.person)).size;
    const run: QualityRun = {
      complete: failedSources.length === 0,
      patientsChecked: checked,
      queries: tally.queries,
      skipped: tally.queries.flatMap((q) => (q.outcome === 'checked' ? [] : [{ query: q.query, matches: q.matches, outcome: q.outcome }])),
      failedSources,
      notChecked: config.sources.filter((c) => c.enabled && !tally.asked.has(c.id)).map((c) => ({ sourceId: c.id, name: c.name })),
      sources: qualityReport(findings).map((s) => ({ ...s, name: tally.names.get(s.sourceId) ?? s.sourceId })),
    };
    if (json) io.out(JSON.stringify(run, null, 2));
    else for (const line of qualityReportText(run)) io.out(line);
    if (failedSources.length > 0) return EXIT.sourcesFailed;
    if (denied) return EXIT.accessDenied;
    return run.skipped.length > 0 ? EXIT.noSinglePatient : EXIT.ok;
  } finally {
    await workstation.close();
  }
}
